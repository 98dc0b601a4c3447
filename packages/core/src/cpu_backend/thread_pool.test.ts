import { afterAll, describe, expect, it } from 'vitest';
import { stopThreads, threadPool } from './parallel.js';
import { tensorHeap } from './tensor_heap.js';
import { wasmKernels } from './wasm_kernels.js';

/*
 * A share that no worker has taken when the caller is done with its own runs on the caller: a
 * worker that sleeps, is descheduled, or died never holds a task up, and which thread ran a
 * share never changes the result.
 */

const wasm = wasmKernels();

function inHeap(values: number[]): Float32Array {
  const block = tensorHeap()!.alloc(values.length * 4)!;
  const array = new Float32Array(block.buffer, block.offset, values.length);
  array.set(values);
  return array;
}

describe.skipIf(wasm === null)('ThreadPool', () => {
  afterAll(() => stopThreads());

  it('runs a share itself when its worker cannot take it (here: the worker was stopped)', async () => {
    const pool = threadPool(wasm!, 2);
    const worker = (pool as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0]!;
    await worker.terminate();
    const n = 64;
    const x = inHeap(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -(i + 1) : i + 1)));
    const y = inHeap(new Array<number>(n).fill(Number.NaN));
    const started = Date.now();
    pool.run('relu', 2, (t) => [x.byteOffset, y.byteOffset, t * (n / 2), (t + 1) * (n / 2)]);
    expect(Array.from(y)).toEqual(Array.from(x, (v) => Math.max(0, v)));
    // The caller did not wait for the stopped worker (that would take the 15 s start timeout).
    expect(Date.now() - started).toBeLessThan(5000);
    stopThreads();
  });

  it('gives every share to exactly one thread, run after run', () => {
    const pool = threadPool(wasm!, 2);
    const n = 1 << 12;
    const x = inHeap(Array.from({ length: n }, (_, i) => i - n / 2));
    for (let round = 0; round < 200; round++) {
      const y = inHeap(new Array<number>(n).fill(Number.NaN));
      pool.run('relu', 2, (t) => [x.byteOffset, y.byteOffset, t * (n / 2), (t + 1) * (n / 2)]);
      expect(y.every((v, i) => v === Math.max(0, x[i]!))).toBe(true);
      tensorHeap()!.free({ buffer: y.buffer, offset: y.byteOffset, bytes: n * 4, inHeap: true });
    }
  });
});
