import { describe, expect, it } from 'vitest';
import {
  Graph,
  Session,
  add,
  biasAdd,
  constant,
  controlDependencies,
  conv2d,
  gradients,
  identity,
  matMul,
  maxPool,
  ndarray,
  placeholder,
  reduceSum,
  relu,
  shape,
  type NDArray,
  type Tensor,
} from '../index.js';

/** Deterministic values in [-1, 1) (an LCG). */
function values(length: number, seed: number): Float32Array {
  const data = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32 - 0.5) * 2;
  }
  return data;
}

const tensor = (shape: number[], seed: number) =>
  constant(
    ndarray(
      values(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
      { shape },
    ),
  );

/** Runs `fetches` with fusion on and off; returns both results and the fused session's fusions. */
async function bothWays(g: Graph, fetches: Tensor[], feeds: Record<string, NDArray> = {}) {
  const run = async (fusion: boolean) => {
    using sess = new Session(g, { fusion, threads: 1 });
    const result = (await sess.run(fetches, feeds)) as NDArray[];
    return { result, fusions: sess.deviceInfo().cpu.fusions };
  };
  return { fused: await run(true), plain: await run(false) };
}

function expectSame(a: NDArray[], b: NDArray[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => {
    expect(x.shape).toEqual(b[i]!.shape);
    expect(Array.from(x.data)).toEqual(Array.from(b[i]!.data));
  });
}

describe('plan-time fusion (remapper)', () => {
  it('fuses a dense layer (MatMul + Add bias + Relu) and its gradients give the same values', async () => {
    const g = new Graph();
    const { fetches } = g.asDefault(() => {
      const x = placeholder('float32', [null, 20], { name: 'x' });
      const w = tensor([20, 16], 1);
      const b = tensor([16], 2);
      const h = relu(add(matMul(x, w, { name: 'dense/MatMul' }), b, { name: 'dense/add' }), { name: 'dense/Relu' });
      const loss = reduceSum(h);
      return { fetches: [h, loss, ...(gradients(loss, [w, b]) as Tensor[])] };
    });
    const { fused, plain } = await bothWays(g, fetches, { x: ndarray(values(12 * 20, 3), { shape: [12, 20] }) });
    expectSame(fused.result, plain.result);
    expect(fused.fusions).toContainEqual({ type: '_FusedMatMul', ops: ['dense/MatMul', 'dense/add', 'dense/Relu'] });
    expect(plain.fusions).toEqual([]);
  });

  it('fuses Conv2D + BiasAdd + Relu, and maxPool keeps its argmax for the gradient (with the relu mask)', async () => {
    const g = new Graph();
    const { fetches } = g.asDefault(() => {
      const x = tensor([2, 9, 9, 3], 4);
      const f = tensor([3, 3, 3, 5], 5);
      const b = tensor([5], 6);
      const a = relu(biasAdd(conv2d(x, f, [1, 1, 1, 1], 'SAME', { name: 'c1' }), b, { name: 'c1/bias' }), {
        name: 'c1/relu',
      });
      const p = maxPool(a, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME', { name: 'pool' });
      const loss = reduceSum(p);
      return { fetches: [p, loss, ...(gradients(loss, [x, f, b]) as Tensor[])] };
    });
    const { fused, plain } = await bothWays(g, fetches);
    expectSame(fused.result, plain.result);
    const types = fused.fusions.map((f) => f.type);
    expect(types).toEqual(expect.arrayContaining(['_FusedConv2D', 'MaxPoolWithArgmax', 'MaxPoolGradWithArgmax']));
    const grad = fused.fusions.find((f) => f.type === 'MaxPoolGradWithArgmax')!;
    expect(grad.ops).toHaveLength(2);
    expect(grad.ops[1]).toMatch(/ReluGrad/);
  });

  it('does not hide a fetched intermediate: fetching the product keeps MatMul unfused', async () => {
    const g = new Graph();
    const { product, out } = g.asDefault(() => {
      const product = matMul(tensor([4, 6], 7), tensor([6, 5], 8), { name: 'mm' });
      return { product, out: relu(biasAdd(product, tensor([5], 9))) };
    });
    const { fused, plain } = await bothWays(g, [product, out]);
    expectSame(fused.result, plain.result);
    expect(fused.fusions.filter((f) => f.ops.includes('mm'))).toEqual([]);
  });

  it('fuses what lies after a fed intermediate, and the fed value is used', async () => {
    const g = new Graph();
    const { product, out } = g.asDefault(() => {
      const product = matMul(tensor([2, 3], 10), tensor([3, 2], 11), { name: 'mm' });
      return { product, out: relu(biasAdd(product, constant(ndarray([1, -10])))) };
    });
    using sess = new Session(g, { fusion: true });
    const result = await sess.run(out, {
      'mm:0': ndarray([
        [1, 2],
        [3, 4],
      ]),
    });
    expect(result.toArray()).toEqual([
      [2, 0],
      [4, 0],
    ]);
    expect(sess.deviceInfo().cpu.fusions).toEqual([]);
    void product;
  });

  it('keeps ops that others are ordered after by control edges unfused', async () => {
    const g = new Graph();
    const { fetches } = g.asDefault(() => {
      const product = matMul(tensor([3, 3], 12), tensor([3, 3], 13), { name: 'mm' });
      const out = relu(biasAdd(product, tensor([3], 14)));
      const after = controlDependencies([product.op], () => identity(tensor([2], 15)));
      return { fetches: [out, after] };
    });
    const { fused, plain } = await bothWays(g, fetches);
    expectSame(fused.result, plain.result);
    expect(fused.fusions.filter((f) => f.ops.includes('mm'))).toEqual([]);
  });

  it('does not fuse when a shape-only reader of the product runs before the chain ends', async () => {
    const g = new Graph();
    const { fetches } = g.asDefault(() => {
      const product = matMul(tensor([3, 4], 16), tensor([4, 2], 17), { name: 'mm' });
      return { fetches: [shape(product), relu(biasAdd(product, tensor([2], 18)))] };
    });
    const { fused, plain } = await bothWays(g, fetches);
    expectSame(fused.result, plain.result);
    expect(fused.fusions.filter((f) => f.ops.includes('mm'))).toEqual([]);
  });

  it('names the MatMul when a fused product gets inputs that do not fit', async () => {
    const g = new Graph();
    const { out } = g.asDefault(() => {
      const x = placeholder('float32', [null, null], { name: 'x' });
      return { out: relu(add(matMul(x, tensor([3, 2], 19), { name: 'layer/MatMul' }), tensor([2], 20))) };
    });
    using sess = new Session(g, { fusion: true });
    await expect(sess.run(out, { x: ndarray(values(8, 1), { shape: [2, 4] }) })).rejects.toThrow(
      /MatMul 'layer\/MatMul': cannot multiply \[2,4\] by \[3,2\]/,
    );
  });

  it('validates the session options', () => {
    expect(() => new Session(new Graph(), { fusion: 'yes' as never })).toThrow(/fusion must be a boolean, got "yes"/);
    expect(() => new Session(new Graph(), { threads: 0 })).toThrow(/threads must be an integer from 1 to 256, got 0/);
    expect(() => new Session(new Graph(), { threads: 1.5 })).toThrow(
      /threads must be an integer from 1 to 256, got 1.5/,
    );
  });
});
