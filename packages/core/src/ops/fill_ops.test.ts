import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  Session,
  constant,
  fill,
  ones,
  onesLike,
  placeholder,
  zeros,
  zerosLike,
} from '../index.js';
import { DEVICES, evaluate, evaluate1 } from '../test_support/devices.js';

describe.each(DEVICES)('fill ops on %s', (device) => {
  it('zeros and ones default to float32 and accept a dtype', async () => {
    const [z, o, zi, ob] = (await evaluate(device, () => [
      zeros([2, 3]),
      ones([2]),
      zeros([1, 2], 'int32'),
      ones([2], 'bool'),
    ])) as NDArray[];
    expect([z!.dtype, z!.shape, z!.toArray()]).toEqual([
      'float32',
      [2, 3],
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
    ]);
    expect([o!.dtype, o!.toArray()]).toEqual(['float32', [1, 1]]);
    expect([zi!.dtype, zi!.toArray()]).toEqual(['int32', [[0, 0]]]);
    expect([ob!.dtype, ob!.toArray()]).toEqual(['bool', [true, true]]);
  });

  it('fill takes its dtype from the value unless told, and handles rank 0 and empty shapes', async () => {
    const [f, b, i, s, e] = (await evaluate(device, () => [
      fill([2, 2], 7.5),
      fill([3], true),
      fill([2], -4, 'int32'),
      fill([], 3),
      fill([0, 4], 1),
    ])) as NDArray[];
    expect([f!.dtype, f!.toArray()]).toEqual([
      'float32',
      [
        [7.5, 7.5],
        [7.5, 7.5],
      ],
    ]);
    expect([b!.dtype, b!.toArray()]).toEqual(['bool', [true, true, true]]);
    expect([i!.dtype, i!.toArray()]).toEqual(['int32', [-4, -4]]);
    expect([s!.shape, s!.toArray()]).toEqual([[], 3]);
    expect([e!.size, e!.shape]).toEqual([0, [0, 4]]);
  });

  it('zerosLike / onesLike follow the run-time shape and dtype of their input', async () => {
    const g = new Graph();
    const { zl, ol } = g.asDefault(() => {
      const x = placeholder('int32', [null, 2], { name: 'x' });
      return { zl: zerosLike(x), ol: onesLike(x) };
    });
    expect([zl.dtype, zl.shape]).toEqual(['int32', [null, 2]]);
    using sess = new Session(g, { device });
    const [z, o] = await sess.run([zl, ol], {
      x: [
        [5, 6],
        [7, 8],
        [9, 10],
      ],
    });
    expect([z!.dtype, z!.toArray()]).toEqual([
      'int32',
      [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    ]);
    expect(o!.toArray()).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    const scalar = await evaluate1(device, () => onesLike(constant(true)));
    expect([scalar.dtype, scalar.toArray()]).toEqual(['bool', true]);
  });

  it('returns a fresh array every run, so writing into a fetched value changes nothing', async () => {
    const g = new Graph();
    const z = g.asDefault(() => zeros([2]));
    using sess = new Session(g, { device });
    (await sess.run(z)).data[0] = 9;
    expect(Array.from((await sess.run(z)).data)).toEqual([0, 0]);
  });
});

describe('fill op building', () => {
  it("names ops 'zeros', 'ones' and 'Fill' by default and honours options", () => {
    const g = new Graph();
    g.asDefault(() => {
      expect([zeros([1]).op.name, ones([1]).op.name, fill([1], 2).op.name, zeros(3).shape]).toEqual([
        'zeros',
        'ones',
        'Fill',
        [3],
      ]);
      const named = ones([2], { dtype: 'int32', name: 'counts' });
      expect([named.op.name, named.dtype]).toEqual(['counts', 'int32']);
      expect(zeros([2], 'float32', { name: 'z' }).op.name).toBe('z');
    });
  });

  it('rejects bad shapes, dtypes and values with the op named', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => zeros([2, -1])).toThrow(/^zeros: shape must be an array of non-negative integers, got \[2,-1\]$/);
      expect(() => ones([1.5])).toThrow(/^ones: shape must be an array of non-negative integers, got \[1\.5\]$/);
      expect(() => fill([2], 2.5, 'int32')).toThrow(/^fill: value 2\.5 is not an int32$/);
      expect(() => zeros([2], 'float16' as never)).toThrow(/^zeros: unknown dtype "float16"/);
      expect(() => zeros([2], 'float64')).toThrow(/^zeros: dtype float64 is for host values/);
      expect(() => fill([2], 'x' as never)).toThrow(/^fill: value must be a number or boolean, got string$/);
      expect(() => zeros(placeholder('int32', [2]) as never)).toThrow(
        /^zeros: shape must be an array of non-negative integers, got an object \(Tensor\)$/,
      );
      expect(() => ones([2, NaN])).toThrow(/^ones: shape must be an array of non-negative integers, got \[2,NaN\]$/);
    });
  });
});
