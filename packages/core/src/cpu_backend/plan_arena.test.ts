import { describe, expect, it } from 'vitest';
import { PlanArena } from './plan_arena.js';

describe('PlanArena', () => {
  it('hands the same storage to the same request in the next run (nothing new in steady state)', () => {
    const arena = new PlanArena();
    const first = arena.array('float32', 100);
    arena.retain(first);
    arena.settleStep();
    arena.endRun();
    const again = arena.array('float32', 100);
    expect(again).toBe(first);
    arena.dispose();
  });

  it('reuses a block in the same run once the last slot holding it is released', () => {
    const arena = new PlanArena();
    const a = arena.array('float32', 256);
    arena.retain(a);
    arena.settleStep();
    const b = arena.array('float32', 256);
    expect(b.buffer === a.buffer && b.byteOffset === a.byteOffset).toBe(false);
    arena.retain(b);
    arena.settleStep();
    arena.release(a);
    const c = arena.array('float32', 256);
    expect(c.byteOffset).toBe(a.byteOffset);
    arena.dispose();
  });

  it('frees scratch (allocated, never held by a slot) after the step', () => {
    const arena = new PlanArena();
    const scratch = arena.array('float64', 10);
    arena.settleStep();
    const next = arena.array('float64', 10);
    expect(next).toBe(scratch);
    arena.dispose();
  });

  it('keeps a block while a view of it is still held, by any of its slots', () => {
    const arena = new PlanArena();
    const a = arena.array('float32', 64) as Float32Array;
    const view = a.subarray(8, 16);
    arena.retain(a);
    arena.retain(view);
    arena.settleStep();
    arena.release(a);
    expect(arena.array('float32', 64).byteOffset).not.toBe(a.byteOffset);
    arena.release(view);
    expect(arena.array('float32', 64).byteOffset).toBe(a.byteOffset);
    arena.dispose();
  });

  it('gives back blocks that a whole run did not use', () => {
    const arena = new PlanArena();
    arena.array('float32', 1000);
    arena.settleStep();
    arena.endRun();
    expect(arena.bytes).toBeGreaterThanOrEqual(4000);
    arena.array('float32', 10);
    arena.settleStep();
    arena.endRun();
    expect(arena.bytes).toBe(64);
    arena.dispose();
    expect(arena.bytes).toBe(0);
  });

  it('ignores arrays it did not hand out', () => {
    const arena = new PlanArena();
    arena.array('float32', 4);
    arena.retain(new Float32Array(4));
    arena.release(new Float32Array(4));
    arena.dispose();
  });
});
