import { describe, expect, it } from 'vitest';
import { Graph, NDArray, Session, cast, constant, mul, ndarray, placeholder } from '../index.js';

describe('float64 host values', () => {
  it('holds doubles exactly, by view of a Float64Array', () => {
    const data = new Float64Array([0.1, 2 ** 53, -1e300]);
    const a = ndarray(data, { dtype: 'float64' });
    expect(a.dtype).toBe('float64');
    expect(a.data).toBe(data);
    expect(a.toArray()).toEqual([0.1, 2 ** 53, -1e300]);
    expect(ndarray([[0.1, 0.2]], { dtype: 'float64' }).get(0, 1)).toBe(0.2);
    // A plain Float64Array still defaults to float32, the graph's float.
    expect(ndarray(new Float64Array([0.1])).dtype).toBe('float32');
  });

  it('is converted when fed to a float32 or int32 tensor, as TF1 feeds are', async () => {
    const g = new Graph();
    const { x, y, i } = g.asDefault(() => {
      const x = placeholder('float32', [null], { name: 'x' });
      const i = placeholder('int32', [null], { name: 'i' });
      return { x, i, y: mul(x, 2) };
    });
    using sess = new Session(g);
    const doubles = new NDArray('float64', [2], new Float64Array([0.1, 1.5]));
    const [out, ints] = (await sess.run(
      [y, i],
      new Map([
        [x, doubles],
        [i, new NDArray('float64', [2], new Float64Array([3, -4]))],
      ]),
    )) as NDArray[];
    expect(out!.dtype).toBe('float32');
    expect([...out!.data]).toEqual([Math.fround(0.1) * 2, 3]);
    expect(ints!.dtype).toBe('int32');
    expect([...ints!.data]).toEqual([3, -4]);
    await expect(sess.run(i, new Map([[i, new NDArray('float64', [1], new Float64Array([0.5]))]]))).rejects.toThrow(
      /not a 32-bit integer/,
    );
  });

  it('becomes float32 as a constant, and is refused as a graph dtype', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(constant(ndarray([0.5], { dtype: 'float64' })).dtype).toBe('float32');
      expect(() => placeholder('float64', [2])).toThrow(/placeholder: dtype float64 is for host values .* use float32/);
      expect(() => cast(constant([1]), 'float64')).toThrow(/dtype float64 is for host values/);
      expect(() => constant([1], { dtype: 'float64' })).toThrow(/constant: dtype float64 is for host values/);
    });
  });
});
