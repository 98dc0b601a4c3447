import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  Session,
  abs,
  add,
  cast,
  clipByValue,
  constant,
  div,
  exp,
  gradients,
  greater,
  log,
  maximum,
  minimum,
  mul,
  ndarray,
  neg,
  pow,
  reciprocal,
  relu,
  rsqrt,
  sigmoid,
  sqrt,
  square,
  sub,
  tanh,
  where,
} from '../index.js';
import type { Tensor } from '../index.js';
import { DEVICES } from '../test_support/devices.js';
import { checkGradients, randomArray } from '../test_support/gradient_check.js';
import { awayFromZero, shiftedFrom } from '../test_support/gradient_inputs.js';

const binaryCases: {
  name: string;
  op: (a: Tensor, b: Tensor) => Tensor;
  lo?: number;
  hi?: number;
  positiveB?: boolean;
}[] = [
  { name: 'add', op: (a, b) => add(a, b) },
  { name: 'sub', op: (a, b) => sub(a, b) },
  { name: 'mul', op: (a, b) => mul(a, b) },
  { name: 'div', op: (a, b) => div(a, b), positiveB: true },
  { name: 'pow', op: (a, b) => pow(a, b), lo: 0.5, hi: 1.5 },
];

const shapePairs: [number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[2, 3], [3]],
  [
    [2, 1],
    [1, 3],
  ],
  [[], [2, 2]],
  [
    [3, 1, 2],
    [4, 1],
  ],
];

describe.each(DEVICES)('elementwise gradients on %s', (device) => {
  describe.each(binaryCases)('$name', ({ op, lo = -1, hi = 1, positiveB }) => {
    it.each(shapePairs)('matches central differences for shapes %j and %j', async (sa, sb) => {
      const a = randomArray(sa, 11, lo, hi);
      const b = positiveB ? randomArray(sb, 12, 0.5, 1.5) : randomArray(sb, 12, -1, 1);
      await checkGradients(device, { inputs: [a, b], build: ([x, y]) => op(x!, y!) });
    });
    it('matches with unknown static shapes (runtime un-broadcasting)', async () => {
      const a = randomArray([2, 3], 13, lo, hi);
      const b = positiveB ? randomArray([3], 14, 0.5, 1.5) : randomArray([3], 14);
      await checkGradients(device, { inputs: [a, b], unknownShapes: true, build: ([x, y]) => op(x!, y!) });
    });
  });

  it.each([
    ['maximum', maximum],
    ['minimum', minimum],
  ] as const)('%s routes the gradient to the selected input (with broadcasting)', async (_name, op) => {
    const a = randomArray([2, 3], 21);
    await checkGradients(device, { inputs: [a, shiftedFrom(a, 22)], build: ([x, y]) => op(x!, y!) });
    const b = awayFromZero([3], 23);
    await checkGradients(device, { inputs: [awayFromZero([2, 3], 24), b], build: ([x, y]) => op(x!, y!) });
  });

  const unaryCases: [string, (x: Tensor) => Tensor, () => NDArray][] = [
    ['neg', neg, () => randomArray([2, 3], 31)],
    ['abs', abs, () => awayFromZero([2, 3], 32)],
    ['exp', exp, () => randomArray([2, 3], 33)],
    ['log', log, () => randomArray([2, 3], 34, 0.5, 2)],
    ['sqrt', sqrt, () => randomArray([2, 3], 35, 0.5, 2)],
    ['square', square, () => randomArray([2, 3], 36)],
    ['reciprocal', reciprocal, () => randomArray([2, 3], 37, 0.5, 2)],
    ['rsqrt', rsqrt, () => randomArray([2, 3], 38, 0.5, 2)],
    ['relu', relu, () => awayFromZero([3, 4], 39)],
    ['sigmoid', sigmoid, () => randomArray([3, 4], 40, -3, 3)],
    ['tanh', tanh, () => randomArray([3, 4], 41, -2, 2)],
    ['cast to float32', (x) => cast(x, 'float32'), () => randomArray([4], 42)],
    // Values kept away from the bounds ±0.5, where clipping has kinks.
    [
      'clipByValue',
      (x) => clipByValue(x, -0.5, 0.5),
      () =>
        ndarray([
          [-0.9, -0.3, 0.2, 0.4],
          [0.7, -0.6, 0.1, 0.95],
          [-0.1, 0.3, -0.4, 0.8],
        ]),
    ],
  ];
  it.each(unaryCases)('%s matches central differences', async (_name, op, input) => {
    await checkGradients(device, { inputs: [input()], build: ([x]) => op(x!) });
    await checkGradients(device, { inputs: [input()], unknownShapes: true, build: ([x]) => op(x!) });
  });

  it('where sends the gradient to the chosen branch, summed back over broadcasting', async () => {
    const cond = ndarray([
      [true, false, true],
      [false, false, true],
    ]);
    await checkGradients(device, {
      inputs: [cond, randomArray([2, 3], 51), randomArray([3], 52)],
      build: ([c, a, b]) => where(c!, a!, b!),
    });
    await checkGradients(device, {
      inputs: [randomArray([2, 3], 53), randomArray([1, 3], 54)],
      build: ([a, b]) => where(greater(a!, 0), mul(a!, b!), square(b!)),
    });
  });

  it('y = 2x, z = 3y gives dz/dx = 6 and dz/dy = 3; a tensor added to itself 10 times gets 10', async () => {
    const g = new Graph();
    const fetches = g.asDefault(() => {
      const x = constant([1, 2]);
      const y = mul(x, 2);
      const z = mul(y, 3);
      let sum: Tensor = x;
      for (let i = 0; i < 9; i++) sum = add(sum, x);
      return [...gradients(z, [x, y]), ...gradients(sum, [x])];
    });
    const sess = new Session(g, { device });
    const [dx, dy, dsum] = (await sess.run(fetches as Tensor[])) as NDArray[];
    expect(Array.from(dx!.data)).toEqual([6, 6]);
    expect(Array.from(dy!.data)).toEqual([3, 3]);
    expect(Array.from(dsum!.data)).toEqual([10, 10]);
    sess.close();
  });
});
