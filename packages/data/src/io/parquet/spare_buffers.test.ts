import { afterEach, describe, expect, it, vi } from 'vitest';
import { SpareBuffers } from './spare_buffers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('SpareBuffers: row group file buffers reused across reads', () => {
  it('gives views of exactly the size asked, over shared memory with room to grow', () => {
    const spares = new SpareBuffers();
    const bytes = spares.allocate(1000);
    expect(bytes.byteLength).toBe(1000);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bytes.buffer.byteLength).toBeGreaterThan(1000);
  });

  it('reuses a buffer given back for a request it can hold, and only once', () => {
    const spares = new SpareBuffers();
    const first = spares.allocate(1000);
    spares.give(first.buffer);
    const again = spares.allocate(1100); // within the slack
    expect(again.buffer).toBe(first.buffer);
    expect(again.byteLength).toBe(1100);
    expect(spares.allocate(1000).buffer).not.toBe(first.buffer);
  });

  it('does not reuse a buffer too small for the request, nor keep plain (movable) buffers', () => {
    const spares = new SpareBuffers();
    const small = spares.allocate(100);
    spares.give(small.buffer);
    expect(spares.allocate(10_000).buffer).not.toBe(small.buffer);
    spares.give(new ArrayBuffer(10_000));
    expect(spares.size).toBe(1);
  });

  it('keeps at most six, and drops them all once no read happened for two seconds', () => {
    vi.useFakeTimers();
    const spares = new SpareBuffers();
    const buffers = Array.from({ length: 8 }, () => spares.allocate(64).buffer);
    for (const buffer of buffers) spares.give(buffer);
    expect(spares.size).toBe(6);
    vi.advanceTimersByTime(1500);
    spares.allocate(64); // a read: the idle clock starts again
    vi.advanceTimersByTime(1500);
    expect(spares.size).toBe(5);
    vi.advanceTimersByTime(600);
    expect(spares.size).toBe(0);
  });
});
