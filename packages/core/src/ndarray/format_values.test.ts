import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Graph, NDArray, Variable, constant, mul, ndarray, placeholder } from '../index.js';

describe('console.log / util.inspect print one line, like TF', () => {
  it('Tensor, Operation and Variable', () => {
    const g = new Graph();
    g.asDefault(() => {
      const product = mul(constant(2), constant(3));
      expect(inspect(product)).toBe('Tensor("Mul:0", shape=[], dtype=float32)');
      expect(inspect(placeholder('int32', [null, 3], { name: 'x' }))).toBe('Tensor("x:0", shape=[?,3], dtype=int32)');
      expect(inspect(product.op)).toBe('Operation("Mul", type=Mul)');
      expect(inspect(new Variable(ndarray([[1, 2, 3]]), { name: 'w' }))).toBe(
        'Variable("w", shape=[1,3], dtype=float32)',
      );
      // Inside other values too (what console.log of an object shows).
      expect(inspect({ y: product })).toBe('{ y: Tensor("Mul:0", shape=[], dtype=float32) }');
    });
  });

  it('NDArray: dtype, shape and values; bools as true/false; scalars bare', () => {
    expect(
      inspect(
        ndarray([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).toBe('NDArray float32[2,3] [[1,2,3],[4,5,6]]');
    expect(inspect(ndarray([true, false]))).toBe('NDArray bool[2] [true,false]');
    expect(inspect(ndarray(2.5))).toBe('NDArray float32[] 2.5');
    expect(inspect(new NDArray('float64', [2], new Float64Array([0.1, -0])))).toBe('NDArray float64[2] [0.1,0]');
    expect(String(ndarray([1, 2], { dtype: 'int32' }))).toBe('NDArray int32[2] [1,2]');
  });

  it('summarizes large arrays to the edges of each axis', () => {
    const big = new NDArray(
      'int32',
      [1000],
      Int32Array.from({ length: 1000 }, (_, i) => i),
    );
    expect(inspect(big)).toBe('NDArray int32[1000] [0,1,2,...,997,998,999]');
    const matrix = new NDArray('float32', [50, 50], new Float32Array(2500).fill(1));
    const row = '[1,1,1,...,1,1,1]';
    expect(inspect(matrix)).toBe(`NDArray float32[50,50] [${row},${row},${row},...,${row},${row},${row}]`);
  });
});
