import { afterAll, describe, expect, it } from 'vitest';
import {
  Graph,
  Session,
  Variable,
  add,
  applyAdagrad,
  applyAdam,
  applyCenteredRMSProp,
  applyGradientDescent,
  applyMomentum,
  applyRMSProp,
  biasAdd,
  constant,
  conv2d,
  gradients,
  maxPool,
  ndarray,
  reduceSum,
  relu,
  type NDArray,
  type Operation,
  type Tensor,
} from '../index.js';
import { reluGrad } from '../ops/activation_grad_ops.js';
import { stopThreads } from './parallel.js';
import { setWasmKernelsEnabled, wasmKernels } from './wasm_kernels.js';

/*
 * Every WebAssembly kernel against its JS kernel, bit for bit: both compute the same float32 (or
 * float64) operations in the same order. Inputs go through `add(c, 0)`, so they are outputs of
 * an earlier step and live in the tensor heap (where the wasm kernels read them); the sizes
 * leave vector tails, and the larger cases split over two threads.
 */

function values(length: number, seed: number): Float32Array {
  const data = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32 - 0.5) * 4;
  }
  return data;
}

/** A tensor of `shape` computed by the graph (so its value lands in the tensor heap). */
function computed(shape: number[], seed: number, special = false): Tensor {
  const data = values(
    shape.reduce((a, b) => a * b, 1),
    seed,
  );
  if (special && data.length >= 6)
    data.set([Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e-45], 0);
  return add(constant(ndarray(data, { shape })), 0);
}

/** Throws at the first element where `actual` and `expected` differ (NaN equals NaN, -0 differs from 0). */
function expectBitIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect(actual[i], `${label}, element ${i}`).toBe(expected[i]);
  }
}

/**
 * Fetches `build()`'s tensors with the wasm kernels on and off (`wasmOff` false: only on, for ops
 * that involve the GEMM, whose wasm and JS versions round differently), on 1 and 2 threads.
 */
async function compare(
  build: () => { fetches: (Tensor | Variable)[]; init?: Operation[] },
  wasmOff = true,
): Promise<void> {
  const results: NDArray[][] = [];
  for (const wasm of wasmOff ? [true, false] : [true]) {
    for (const threads of [1, 2]) {
      setWasmKernelsEnabled(wasm);
      const g = new Graph();
      const { fetches, init = [] } = g.asDefault(build);
      using sess = new Session(g, { threads, fusion: false });
      if (init.length > 0) await sess.run(init);
      const out = (await sess.run(fetches)) as NDArray[];
      results.push(out);
    }
  }
  results.slice(1).forEach((r, i) => {
    r.forEach((x, k) => {
      expectBitIdentical(x.data, results[0]![k]!.data, `configuration ${i + 1}, fetch ${k}`);
    });
  });
}

const available = wasmKernels() !== null;

describe.skipIf(!available)('wasm kernels equal the JS kernels bit for bit', () => {
  afterAll(() => {
    setWasmKernelsEnabled(true);
    stopThreads();
  });

  it.each([[1001], [70_001]])('Relu and ReluGrad (%i elements, NaN, -0, infinities)', async (n) => {
    await compare(() => {
      const x = computed([n], 1, true);
      return { fetches: [relu(x), reluGrad(computed([n], 2), x)] };
    });
  });

  it.each([[[37, 13]], [[700, 101]]])('BiasAdd and the bias gradient (SumToShape) of %j', async (shape) => {
    await compare(() => {
      const x = computed(shape, 3);
      const bias = computed([shape[1]!], 4);
      const y = biasAdd(x, bias);
      return { fetches: [y, ...(gradients(reduceSum(add(y, x)), [bias]) as Tensor[])] };
    });
  });

  it.each([
    [[2, 7, 9, 6], [1, 2, 2, 1], [1, 2, 2, 1], 'SAME'],
    [[8, 12, 12, 32], [1, 3, 3, 1], [1, 2, 2, 1], 'VALID'],
    [[3, 10, 10, 5], [1, 3, 3, 1], [1, 1, 1, 1], 'SAME'],
  ])('maxPool with argmax and its gradient: x %j, ksize %j, strides %j, %s', async (shape, ksize, strides, padding) => {
    await compare(() => {
      const x = relu(computed(shape as number[], 5));
      const pooled = maxPool(x, ksize as number[], strides as number[], padding as 'SAME' | 'VALID');
      return { fetches: [pooled, ...(gradients(reduceSum(pooled), [x]) as Tensor[])] };
    });
  });

  it.each([
    [
      [2, 9, 9, 5],
      [3, 3, 5, 4],
    ],
    [
      [4, 14, 14, 8],
      [3, 3, 8, 16],
    ],
  ])('conv2d (wasm im2col/col2im) and its gradients on 1 and 2 threads: x %j filter %j', async (xShape, fShape) => {
    await compare(() => {
      const x = computed(xShape, 6);
      const f = computed(fShape, 7);
      const y = conv2d(x, f, [1, 1, 1, 1], 'SAME');
      return { fetches: [y, ...(gradients(reduceSum(y), [x, f]) as Tensor[])] };
    }, false);
  });

  it.each([[1001], [70_001]])('the optimizer updates (%i elements)', async (n) => {
    await compare(() => {
      const variable = (name: string, seed: number) =>
        new Variable(ndarray(values(n, seed).map(Math.abs), { shape: [n] }), { name });
      const grad = computed([n], 8);
      const names = [
        'w1',
        'w2',
        'a2',
        'w3',
        'm3',
        'v3',
        'w4',
        'ms4',
        'mom4',
        'w5',
        'mg5',
        'ms5',
        'mom5',
        'w6',
        'a6',
        'w7',
        'm7',
        'v7',
      ];
      const v = Object.fromEntries(names.map((name, i) => [name, variable(name, 20 + i)])) as Record<string, Variable>;
      const updates = [
        applyGradientDescent(v['w1']!, 0.1, grad),
        applyMomentum(v['w2']!, v['a2']!, 0.1, grad, 0.9, { useNesterov: true }),
        applyAdam(v['w3']!, v['m3']!, v['v3']!, 0.9, 0.99, 0.01, 0.9, 0.999, 1e-7, grad, { useNesterov: true }),
        applyRMSProp(v['w4']!, v['ms4']!, v['mom4']!, 0.01, 0.9, 0.5, 1e-6, grad),
        applyCenteredRMSProp(v['w5']!, v['mg5']!, v['ms5']!, v['mom5']!, 0.01, 0.9, 0.5, 1e-6, grad),
        applyAdagrad(v['w6']!, v['a6']!, 0.1, grad),
        applyAdam(v['w7']!, v['m7']!, v['v7']!, 0.5, 0.2, 0.003, 0.8, 0.99, 1e-8, grad),
      ];
      return { fetches: [...updates, ...Object.values(v)], init: Object.values(v).map((x) => x.initializer) };
    });
  });
});
