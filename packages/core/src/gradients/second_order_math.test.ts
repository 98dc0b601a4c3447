import { describe, expect, it } from 'vitest';
import {
  Graph,
  NDArray,
  Session,
  abs,
  add,
  broadcastTo,
  cast,
  clipByValue,
  concat,
  constant,
  div,
  exp,
  expandDims,
  gather,
  gradients,
  greater,
  identity,
  log,
  matMul,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  reciprocal,
  reduceMax,
  reduceMean,
  reduceMin,
  reduceSum,
  relu,
  reshape,
  rsqrt,
  sigmoid,
  sqrt,
  square,
  squeeze,
  sub,
  tanh,
  tile,
  transpose,
  where,
} from '../index.js';
import type { Tensor } from '../index.js';
import { DEVICES } from '../test_support/devices.js';
import { checkSecondOrderGradients, randomArray } from '../test_support/gradient_check.js';
import { awayFromZero, distinct, shiftedFrom } from '../test_support/gradient_inputs.js';

/*
 * Second derivatives of every differentiable elementwise, matMul, reduction and shape op, as
 * gradients(gradients(...)) against float64 central differences of the first derivative
 * (checkSecondOrderGradients). Ops that are linear are squared first, so that the second
 * derivative flows through their backward ops (ReductionGrad, TileGrad, ConcatGrad, ...).
 */

type Case = { name: string; inputs: () => NDArray[]; build: (xs: Tensor[]) => Tensor; unknownShapes?: boolean };

const ab =
  (sa: number[], sb: number[], lo = -1, hi = 1): (() => NDArray[]) =>
  () => [randomArray(sa, 31, lo, hi), randomArray(sb, 32, lo, hi)];

const elementwise: Case[] = [
  { name: 'add (broadcast: SumToShape)', inputs: ab([2, 3], [3]), build: ([a, b]) => square(add(a!, b!)) },
  {
    name: 'sub (broadcast, unknown shapes)',
    inputs: ab([2, 3], [1, 3]),
    build: ([a, b]) => square(sub(a!, b!)),
    unknownShapes: true,
  },
  { name: 'mul (cross terms)', inputs: ab([2, 3], [3]), build: ([a, b]) => mul(mul(a!, b!), a!) },
  {
    name: 'div',
    inputs: () => [randomArray([2, 2], 33), randomArray([2, 2], 34, 0.5, 1.5)],
    build: ([a, b]) => div(a!, b!),
  },
  {
    name: 'pow',
    inputs: () => [randomArray([2, 2], 35, 0.5, 1.5), randomArray([2, 2], 36, 0.5, 1.5)],
    build: ([a, b]) => pow(a!, b!),
  },
  {
    name: 'maximum / minimum',
    inputs: () => {
      const a = randomArray([2, 3], 37);
      return [a, shiftedFrom(a, 38)];
    },
    build: ([a, b]) => add(square(maximum(a!, b!)), mul(minimum(a!, b!), a!)),
  },
  {
    name: 'neg, abs, identity, cast',
    inputs: () => [awayFromZero([2, 3], 39)],
    build: ([x]) => square(identity(cast(neg(abs(x!)), 'float32'))),
  },
  {
    name: 'exp, log',
    inputs: () => [randomArray([2, 3], 40, 0.5, 1.5)],
    build: ([x]) => add(exp(x!), mul(log(x!), x!)),
  },
  {
    name: 'sqrt, rsqrt, reciprocal',
    inputs: () => [randomArray([2, 3], 41, 0.5, 1.5)],
    build: ([x]) => add(add(sqrt(x!), rsqrt(x!)), reciprocal(x!)),
  },
  { name: 'relu (ReluGrad)', inputs: () => [awayFromZero([2, 3], 42)], build: ([x]) => mul(relu(x!), relu(x!)) },
  { name: 'sigmoid (SigmoidGrad)', inputs: () => [randomArray([2, 3], 43, -2, 2)], build: ([x]) => sigmoid(x!) },
  { name: 'tanh (TanhGrad)', inputs: () => [randomArray([2, 3], 44, -2, 2)], build: ([x]) => tanh(x!) },
  {
    name: 'where (Select)',
    inputs: ab([2, 3], [2, 3]),
    build: ([a, b]) => square(where(greater(a!, 0), mul(a!, b!), b!)),
  },
  {
    name: 'clipByValue',
    inputs: () => [awayFromZero([2, 3], 45)],
    build: ([x]) => square(clipByValue(mul(x!, 2), -1.1, 0.9)),
  },
];

const linearAlgebra: Case[] = [
  { name: 'matMul', inputs: ab([2, 3], [3, 2]), build: ([a, b]) => square(matMul(a!, b!)) },
  {
    name: 'matMul transposeA/B',
    inputs: ab([3, 2], [2, 3]),
    build: ([a, b]) => square(matMul(a!, b!, { transposeA: true, transposeB: true })),
  },
  {
    name: 'matMul transposeB (unknown shapes)',
    inputs: ab([2, 3], [2, 3]),
    build: ([a, b]) => square(matMul(a!, b!, { transposeB: true })),
    unknownShapes: true,
  },
];

const reductions: Case[] = [
  {
    name: 'reduceSum over an axis (ReductionGrad)',
    inputs: () => [randomArray([2, 3], 46)],
    build: ([x]) => square(reduceSum(x!, 1)),
  },
  {
    name: 'reduceMean keepDims (unknown shapes)',
    inputs: () => [randomArray([2, 3], 47)],
    build: ([x]) => square(reduceMean(x!, 0, true)),
    unknownShapes: true,
  },
  {
    name: 'reduceSum of everything',
    inputs: () => [randomArray([2, 3], 48)],
    build: ([x]) => square(reduceSum(mul(x!, x!))),
  },
  {
    name: 'reduceMax (ExtremumReductionGrad)',
    inputs: () => [distinct([2, 3], 49)],
    build: ([x]) => square(reduceMax(x!, 1)),
  },
  {
    name: 'reduceMin keepDims',
    inputs: () => [distinct([3, 2], 50)],
    build: ([x]) => mul(reduceMin(x!, 0, true), reduceSum(x!, 0, true)),
  },
];

const shapes: Case[] = [
  {
    name: 'reshape, expandDims, squeeze',
    inputs: () => [randomArray([2, 3], 51)],
    build: ([x]) => square(squeeze(expandDims(reshape(x!, [3, 2]), 0), [0])),
  },
  { name: 'transpose', inputs: () => [randomArray([2, 3], 52)], build: ([x]) => mul(transpose(x!), transpose(x!)) },
  { name: 'tile (TileGrad)', inputs: () => [randomArray([2, 2], 53)], build: ([x]) => square(tile(x!, [2, 3])) },
  {
    name: 'tile with unknown shapes (runtime multiples)',
    inputs: () => [randomArray([1, 3], 54)],
    build: ([x]) => square(tile(x!, [3, 1])),
    unknownShapes: true,
  },
  {
    name: 'broadcastTo (SumToShape)',
    inputs: () => [randomArray([1, 3], 55)],
    build: ([x]) => square(broadcastTo(x!, [2, 3])),
  },
  { name: 'concat (ConcatGrad)', inputs: ab([2, 2], [2, 1]), build: ([a, b]) => square(concat([a!, b!, a!], 1)) },
  {
    name: 'gather (GatherGrad, repeated ids)',
    inputs: () => [randomArray([4, 2], 56)],
    build: ([x]) => square(gather(x!, constant(new NDArray('int32', [3], Int32Array.from([2, 0, 2]))))),
  },
  {
    name: 'gather along axis 1',
    inputs: () => [randomArray([2, 3], 57)],
    build: ([x]) => square(gather(x!, constant(new NDArray('int32', [2], Int32Array.from([1, 1]))), 1)),
  },
];

describe.each(DEVICES)('second-order gradients on %s', (device) => {
  describe.each([
    ['elementwise', elementwise],
    ['linear algebra', linearAlgebra],
    ['reductions', reductions],
    ['shape ops', shapes],
  ] as const)('%s', (_family, cases) => {
    it.each(cases)('$name', async ({ inputs, build, unknownShapes }) => {
      await checkSecondOrderGradients(device, { inputs: inputs(), build, ...(unknownShapes ? { unknownShapes } : {}) });
    });
  });

  it('gives gradients(gradients(...)) of Sum, the issue case, the analytic value', async () => {
    // d/dx sum(x³) = 3x², d/dx sum(3x² · 1) = 6x.
    const g = new Graph();
    const second = g.asDefault(() => {
      const x = constant([1, -2, 0.5]);
      const [first] = gradients(reduceSum(mul(mul(x, x), x)), [x]);
      return gradients(reduceSum(first!), [x])[0]!;
    });
    using sess = new Session(g, { device });
    expect(Array.from((await sess.run(second)).data)).toEqual([6, -12, 3]);
  });
});
