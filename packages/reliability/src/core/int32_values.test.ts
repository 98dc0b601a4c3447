import { describe, expect, it } from 'vitest';
import { Graph, InvalidArgumentError, Session, ndarray, placeholder } from '@tsflow/core';

/** A session with one int32 placeholder `k` of shape [?]. */
function int32Feed() {
  const graph = new Graph();
  const k = graph.asDefault(() => placeholder('int32', [null], { name: 'k' }));
  return { session: new Session(graph), k };
}

describe('int32 values: one rule for nested arrays, typed arrays and ndarray()', () => {
  it('a value outside int32 is refused, not wrapped (3e10 used to become -64771072)', async () => {
    const { session, k } = int32Feed();
    await expect(session.run(k, { k: [3e10] })).rejects.toThrow(InvalidArgumentError);
    await expect(session.run(k, { k: [1, 3e10] })).rejects.toThrow(
      /Cannot feed value for Tensor 'k:0' with dtype int32: element 1 is 30000000000, not a 32-bit integer/,
    );
    expect(() => ndarray([3e10], { dtype: 'int32' })).toThrow(
      /ndarray: element 0 is 30000000000, not a 32-bit integer/,
    );
    expect(() => ndarray(new Float64Array([-3e10]), { dtype: 'int32' })).toThrow(/ndarray: element 0 is -30000000000/);
  });

  it('a typed-array feed is checked like a nested array (Float32Array([1.7]) used to become 1)', async () => {
    const { session, k } = int32Feed();
    const message = /Cannot feed value for Tensor 'k:0' with dtype int32: element 0 is 1\.7\d*, not a 32-bit integer/;
    await expect(session.run(k, { k: new Float32Array([1.7]) })).rejects.toThrow(message);
    await expect(session.run(k, { k: new Float64Array([1.7]) })).rejects.toThrow(message);
    await expect(session.run(k, { k: [1.7] })).rejects.toThrow(message);
    await expect(session.run(k, { k: ndarray([1.7]) })).rejects.toThrow(message);
    await expect(session.run(k, { k: [NaN] })).rejects.toThrow(/element 0 is NaN, not a 32-bit integer/);
  });

  it('accepts the whole int32 range exactly, from every kind of value', async () => {
    const { session, k } = int32Feed();
    const edges = [-2147483648, 2147483647, 0];
    for (const value of [edges, new Float64Array(edges), Int32Array.from(edges), ndarray(edges, { dtype: 'int32' })]) {
      expect(Array.from((await session.run(k, { k: value as never })).data)).toEqual(edges);
    }
    expect(() => ndarray([2147483648], { dtype: 'int32' })).toThrow(/element 0 is 2147483648/);
  });

  it('a BigInt64Array is a named error, in feeds and in ndarray()', async () => {
    const { session, k } = int32Feed();
    await expect(session.run(k, { k: new BigInt64Array([1n]) as never })).rejects.toThrow(
      /Cannot feed value for Tensor 'k:0': a BigInt64Array holds bigints, which no tsflow dtype takes/,
    );
    expect(() => ndarray(new BigUint64Array([1n]) as never)).toThrow(/ndarray: a BigUint64Array holds bigints/);
  });
});
