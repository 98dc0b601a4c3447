import { describe, expect, it } from 'vitest';
import {
  Graph,
  InvalidArgumentError,
  Session,
  Variable,
  add,
  applyGradientDescent,
  constant,
  matMul,
  mul,
  ndarray,
  placeholder,
  reduceSum,
  relu,
  reshape,
} from '../index.js';
import { tensorHeap } from '../cpu_backend/tensor_heap.js';

/*
 * Plans reuse their output memory run after run (cpu_backend/plan_arena.ts): what reaches the
 * caller must never be memory a later run overwrites.
 */

function reluGraph() {
  const g = new Graph();
  const { x, y, flat } = g.asDefault(() => {
    const x = placeholder('float32', [null, 3], { name: 'x' });
    const y = relu(mul(x, 2));
    return { x, y, flat: reshape(y, [-1]) };
  });
  return { g, x, y, flat };
}

describe('memory reused across runs', () => {
  it('leaves fetched values (and fetched views) unchanged by later runs of the same plan', async () => {
    const { g, y, flat } = reluGraph();
    using sess = new Session(g);
    const [first, firstFlat] = await sess.run([y, flat], { x: ndarray([[1, -2, 3]]) });
    const [second] = await sess.run([y, flat], { x: ndarray([[-5, 6, 7]]) });
    expect(first.toArray()).toEqual([[2, 0, 6]]);
    expect(firstFlat.toArray()).toEqual([2, 0, 6]);
    expect(second.toArray()).toEqual([[0, 12, 14]]);
  });

  it('hands out arrays the caller may write into without changing later results', async () => {
    const { g, y } = reluGraph();
    using sess = new Session(g);
    const first = await sess.run(y, { x: ndarray([[1, 2, 3]]) });
    first.data.fill(99);
    expect((await sess.run(y, { x: ndarray([[1, 2, 3]]) })).toArray()).toEqual([[2, 4, 6]]);
  });

  it('allocates no more heap memory once a plan has run (steady state)', async () => {
    const g = new Graph();
    const { loss } = g.asDefault(() => {
      const x = placeholder('float32', [4, 8], { name: 'x' });
      const w = constant(ndarray(new Float32Array(64).fill(0.5), { shape: [8, 8] }));
      return { x, loss: reduceSum(relu(add(matMul(x, w), 1))) };
    });
    using sess = new Session(g);
    const feeds = { x: ndarray(new Float32Array(32).fill(1), { shape: [4, 8] }) };
    await sess.run(loss, feeds);
    const heap = tensorHeap()!;
    const afterFirst = heap.inUse;
    for (let i = 0; i < 3; i++) expect((await sess.run(loss, feeds)).item()).toBe(4 * 8 * 5);
    expect(heap.inUse).toBe(afterFirst);
  });

  it('returns every block to the heap when the session closes', async () => {
    const heap = tensorHeap()!;
    const before = heap.inUse;
    const { g, y } = reluGraph();
    const sess = new Session(g);
    await sess.run(y, { x: ndarray(new Float32Array(3000), { shape: [1000, 3] }) });
    expect(heap.inUse).toBeGreaterThan(before);
    sess.close();
    expect(heap.inUse).toBe(before);
  });

  it('keeps a plan usable after a kernel fails mid-run', async () => {
    const g = new Graph();
    const { sum } = g.asDefault(() => {
      const a = placeholder('float32', [null], { name: 'a' });
      const b = placeholder('float32', [null], { name: 'b' });
      return { a, b, sum: relu(add(a, b)) };
    });
    using sess = new Session(g);
    await expect(sess.run(sum, { a: ndarray([1, 2]), b: ndarray([1, 2, 3]) })).rejects.toThrow(InvalidArgumentError);
    expect((await sess.run(sum, { a: ndarray([1, -2]), b: ndarray([1, 1]) })).toArray()).toEqual([2, 0]);
  });

  it('never lets an optimizer step overwrite a variable value fetched earlier', async () => {
    const g = new Graph();
    const { w, wFlat, step } = g.asDefault(() => {
      const w = new Variable(
        ndarray([
          [1, 2],
          [3, 4],
        ]),
        { name: 'w' },
      );
      return {
        w,
        wFlat: reshape(w, [-1]),
        step: applyGradientDescent(
          w,
          0.5,
          ndarray([
            [2, 2],
            [2, 2],
          ]),
        ),
      };
    });
    using sess = new Session(g);
    await sess.run(w.initializer);
    const snapshots = [];
    for (let i = 0; i < 4; i++) {
      snapshots.push(await sess.run([w, wFlat]));
      await sess.run(step);
    }
    snapshots.forEach(([value, flat], i) => {
      expect(value.toArray()).toEqual([
        [1 - i, 2 - i],
        [3 - i, 4 - i],
      ]);
      expect(flat.toArray()).toEqual([1 - i, 2 - i, 3 - i, 4 - i]);
    });
  });
});
