import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  abs,
  constant,
  exp,
  floor,
  log,
  neg,
  placeholder,
  reciprocal,
  relu,
  rsqrt,
  sigmoid,
  sign,
  sqrt,
  square,
  tanh,
} from '../index.js';
import { DEVICES, evaluate, evaluate1, expectClose } from '../test_support/devices.js';
import type { TensorLike } from './op_builder.js';

type UnaryFn = (x: TensorLike) => ReturnType<typeof neg>;

const INPUTS = [-3.5, -1, -0.25, 0, 0.3, 1, 2.75, 40];
const POSITIVE = [1e-3, 0.25, 1, 2, 9, 1e4];

const FLOAT_CASES: [string, UnaryFn, (x: number) => number, number[]][] = [
  ['neg', neg, (x) => -x, INPUTS],
  ['abs', abs, Math.abs, INPUTS],
  ['exp', exp, Math.exp, INPUTS],
  ['log', log, Math.log, POSITIVE],
  ['sqrt', sqrt, Math.sqrt, POSITIVE],
  ['square', square, (x) => x * x, INPUTS],
  ['sign', sign, Math.sign, INPUTS],
  ['reciprocal', reciprocal, (x) => 1 / x, INPUTS.filter((x) => x !== 0)],
  ['rsqrt', rsqrt, (x) => 1 / Math.sqrt(x), POSITIVE],
  ['floor', floor, Math.floor, INPUTS],
  ['relu', relu, (x) => Math.max(x, 0), INPUTS],
  ['sigmoid', sigmoid, (x) => 1 / (1 + Math.exp(-x)), [...INPUTS, -800, 800]],
  ['tanh', tanh, Math.tanh, [...INPUTS, -800]],
];

describe.each(DEVICES)('unary ops and activations on %s', (device) => {
  describe.each(FLOAT_CASES)('%s (float32)', (_name, op, f, inputs) => {
    it('matches the float64 reference elementwise and keeps the shape', async () => {
      const x = Float32Array.from(inputs);
      const result = await evaluate1(device, () => op(constant(x, { shape: [x.length, 1] })));
      expect([result.dtype, ...result.shape]).toEqual(['float32', x.length, 1]);
      expectClose(result.data, Array.from(x, f));
    });

    it('works on rank 0 and on empty tensors', async () => {
      const scalar = await evaluate1(device, () => op(constant(inputs[1]!)));
      expect(scalar.shape).toEqual([]);
      expectClose([scalar.item()], [f(Math.fround(inputs[1]!))]);
      const empty = await evaluate1(device, () => op(constant(new Float32Array(0), { shape: [2, 0] })));
      expect(empty.shape).toEqual([2, 0]);
    });
  });

  it('log/sqrt edge values: log(0) = -Infinity, sqrt(-1) = NaN, relu(NaN) = NaN', async () => {
    expect((await evaluate1(device, () => log(0))).item()).toBe(-Infinity);
    expect((await evaluate1(device, () => sqrt(-1))).item()).toBeNaN();
    expect((await evaluate1(device, () => relu(NaN))).item()).toBeNaN();
  });

  it('int32 neg/abs/square/sign/relu stay int32 and wrap', async () => {
    const results = (await evaluate(device, () => {
      const x = constant([-2147483648, -7, 0, 5, 46341], { dtype: 'int32' });
      return [neg(x), abs(x), square(x), sign(x), relu(x)];
    })) as NDArray[];
    expect(results.map((r) => r.dtype)).toEqual(['int32', 'int32', 'int32', 'int32', 'int32']);
    expect(results.map((r) => Array.from(r.data))).toEqual([
      [-2147483648, 7, 0, -5, -46341],
      [-2147483648, 7, 0, 5, 46341],
      [0, 49, 0, 25, (46341 * 46341) | 0],
      [-1, -1, 0, 1, 1],
      [0, 0, 0, 5, 46341],
    ]);
  });
});

describe('unary op building', () => {
  it('keeps the static shape, including unknown dims and unknown rank', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(exp(placeholder('float32', [null, 4])).shape).toEqual([null, 4]);
      expect(tanh(placeholder('float32')).shape).toBeNull();
    });
  });

  it('names the op and dtype when float-only math gets int32 or bool', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => exp(constant([1], { dtype: 'int32' }))).toThrow(
        /^Value for 'Exp' \(op: 'Exp'\) has dtype int32, not in the allowed list: float32 \(input Const:0\)\.$/,
      );
      expect(() => sigmoid(constant([1], { dtype: 'int32' }), { name: 'gate' })).toThrow(
        /^Value for 'gate' \(op: 'Sigmoid'\) has dtype int32/,
      );
      expect(() => neg(constant([true]))).toThrow(
        /^Value for 'Neg' \(op: 'Neg'\) has dtype bool, not in the allowed list: float32, int32/,
      );
      expect(() => relu(constant([true]))).toThrow(/'Relu' \(op: 'Relu'\) has dtype bool/);
    });
  });
});
