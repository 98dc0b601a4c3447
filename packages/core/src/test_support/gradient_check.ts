import { gradients } from '../gradients/gradients.js';
import { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import { NDArray, ndarray } from '../ndarray/ndarray.js';
import { formatShape, shapeSize } from '../ndarray/shape.js';
import { placeholder } from '../ops/placeholder.js';
import { add, mul } from '../ops/binary_ops.js';
import { constant } from '../ops/constant.js';
import { reduceSum } from '../ops/reduction_ops.js';
import { Xoshiro128 } from '../session/random_stream.js';
import { Session, type SessionDevice } from '../session/session.js';

export interface GradientCheckOptions {
  /** Builds the op under test from placeholders that stand for `inputs` (same order). */
  build: (xs: Tensor[]) => Tensor;
  /** Values of the inputs; float32 ones are checked, others are only fed. */
  inputs: readonly NDArray[];
  /** Feed the placeholders with unknown dims (`null`) to exercise runtime shapes. */
  unknownShapes?: boolean;
  /** Central-difference step. */
  delta?: number;
  rtol?: number;
  atol?: number;
  /** Seed of the random output weights. */
  seed?: number;
}

/**
 * Compares the symbolic gradient of `build` with central differences. The scalar checked is
 * L = sum(w * y) for fixed random weights w (so every output element matters); L and the
 * differences are computed in float64 from the float32 forward values, and the step is the one
 * float32 actually represents. Throws naming the input and element that disagree.
 */
export async function checkGradients(device: SessionDevice, options: GradientCheckOptions): Promise<void> {
  const { inputs, delta = 1e-2, rtol = 2e-2, atol = 2e-3 } = options;
  const graph = new Graph();
  const { xs, y, weights, grads } = graph.asDefault(() => {
    const xs = inputs.map((value, i) =>
      placeholder(value.dtype, options.unknownShapes ? value.shape.map(() => null) : value.shape.slice(), {
        name: `x${i}`,
      }),
    );
    const y = options.build(xs);
    const weights = placeholder(y.dtype, y.shape, { name: 'output_weights' });
    const grads = gradients(y, xs, { gradYs: weights });
    return { xs, y, weights, grads };
  });
  const session = new Session(graph, { device });
  try {
    const feeds = new Map<Tensor, NDArray>(xs.map((x, i) => [x, inputs[i]!]));
    const y0 = (await session.run(y, feeds)) as NDArray;
    // Weights in [0.5, 1.5): no output element is ignored or cancelled.
    const w = randomArray(y0.shape, options.seed ?? 7, 0.5, 1.5);
    feeds.set(weights, w);
    const objective = async (): Promise<number> => {
      const value = (await session.run(y, feeds)) as NDArray;
      let sum = 0;
      for (let i = 0; i < value.size; i++) sum += value.data[i]! * w.data[i]!;
      return sum;
    };
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      if (input.dtype !== 'float32') continue;
      const grad = grads[i];
      if (!grad)
        throw new Error(`checkGradients: no symbolic gradient for input ${i} (shape ${formatShape(input.shape)})`);
      const symbolic = (await session.run(grad, feeds)) as NDArray;
      if (symbolic.size !== input.size) {
        throw new Error(
          `checkGradients: gradient of input ${i} has shape ${formatShape(symbolic.shape)}, expected ${formatShape(input.shape)}`,
        );
      }
      const perturbed = new Float32Array(input.data);
      const fedArray = new NDArray('float32', input.shape, perturbed);
      feeds.set(xs[i]!, fedArray);
      for (let j = 0; j < input.size; j++) {
        const original = input.data[j]!;
        perturbed[j] = original + delta;
        const up = perturbed[j]! - original;
        const plus = await objective();
        perturbed[j] = original - delta;
        const down = original - perturbed[j]!;
        const minus = await objective();
        perturbed[j] = original;
        const numeric = (plus - minus) / (up + down);
        const actual = symbolic.data[j]!;
        if (!(Math.abs(actual - numeric) <= atol + rtol * Math.abs(numeric))) {
          throw new Error(
            `checkGradients: input ${i} element ${j}: symbolic ${actual}, numeric ${numeric} (rtol ${rtol}, atol ${atol})`,
          );
        }
      }
      feeds.set(xs[i]!, input);
    }
  } finally {
    session.close();
  }
}

/**
 * Second derivatives: `checkGradients` of S(x) = Σ_i sum(v_i · ∂L/∂x_i), L = sum(w · y), for
 * fixed random weights w and directions v_i. The symbolic gradient of S is gradients(gradients(...))
 * (a Hessian-vector product), compared with float64 central differences of the first derivative
 * that the first-order gradient ops compute.
 */
export async function checkSecondOrderGradients(device: SessionDevice, options: GradientCheckOptions): Promise<void> {
  const seed = options.seed ?? 7;
  const weights = randomArray(await outputShape(device, options), seed + 1, 0.5, 1.5);
  const directions = options.inputs.map((x, i) => randomArray(x.shape, seed + 2 + i, 0.5, 1.5));
  await checkGradients(device, {
    ...options,
    build: (xs) => {
      const firstOrder = gradients(reduceSum(mul(options.build(xs), constant(weights))), xs);
      const terms: Tensor[] = [];
      firstOrder.forEach((g, i) => {
        if (g !== null && options.inputs[i]!.dtype === 'float32')
          terms.push(reduceSum(mul(g, constant(directions[i]!))));
      });
      if (terms.length === 0) throw new Error('checkSecondOrderGradients: no float input has a first-order gradient');
      return terms.reduce((a, b) => add(a, b));
    },
  });
}

/** The shape of `build`'s output for the given inputs (one forward run). */
async function outputShape(device: SessionDevice, options: GradientCheckOptions): Promise<readonly number[]> {
  const graph = new Graph();
  const { xs, y } = graph.asDefault(() => {
    const xs = options.inputs.map((value, i) => placeholder(value.dtype, value.shape.slice(), { name: `x${i}` }));
    return { xs, y: options.build(xs) };
  });
  const session = new Session(graph, { device });
  try {
    return ((await session.run(y, new Map<Tensor, NDArray>(xs.map((x, i) => [x, options.inputs[i]!])))) as NDArray)
      .shape;
  } finally {
    session.close();
  }
}

/** Uniform values in [0, 1) from the session's seeded stream, so test inputs are reproducible. */
export function seededUniform(seed: number): () => number {
  const stream = new Xoshiro128(seed);
  return () => stream.nextUniform();
}

/** A float32 array of `shape` with values uniform in [lo, hi). */
export function randomArray(shape: readonly number[], seed: number, lo = -1, hi = 1): NDArray {
  const rand = seededUniform(seed);
  const data = new Float32Array(shapeSize(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rand();
  return ndarray(data, { shape });
}
