import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { ndarray } from '../ndarray/ndarray.js';
import { Session } from '../session/session.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';
import { constant } from './constant.js';
import { expandDims, squeeze } from './expand_squeeze.js';
import { placeholder } from './placeholder.js';
import { reshape } from './reshape.js';
import { shape } from './shape_ops.js';

describe.each(DEVICES)('reshape, expandDims, squeeze on %s', (device) => {
  it('reshapes with and without -1, keeping the row-major order', async () => {
    const r = await evaluate1(device, () =>
      reshape(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [3, 2],
      ),
    );
    expect(r.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(
      (
        await evaluate1(device, () =>
          reshape(
            [
              [1, 2, 3],
              [4, 5, 6],
            ],
            [-1],
          ),
        )
      ).shape,
    ).toEqual([6]);
    expect(
      (
        await evaluate1(device, () =>
          reshape(
            [
              [1, 2, 3],
              [4, 5, 6],
            ],
            [-1, 1, 2],
          ),
        )
      ).shape,
    ).toEqual([3, 1, 2]);
    expect((await evaluate1(device, () => reshape([5], []))).shape).toEqual([]);
    expect((await evaluate1(device, () => reshape(7, [1, 1]))).toArray()).toEqual([[7]]);
    expect(
      (await evaluate1(device, () => reshape(ndarray(new Float32Array(0), { shape: [0, 3] }), [-1, 3]))).shape,
    ).toEqual([0, 3]);
  });

  it('keeps int32 and bool values', async () => {
    const r = await evaluate1(device, () => reshape(constant([1, 2, 3, 4], { dtype: 'int32' }), [2, 2]));
    expect(r.dtype).toBe('int32');
    expect((await evaluate1(device, () => reshape([true, false], [2, 1]))).toArray()).toEqual([[true], [false]]);
  });

  it('takes its shape from a tensor, e.g. shape(other), resolving unknown dims at run time', async () => {
    const g = new Graph();
    const { y } = g.asDefault(() => {
      const x = placeholder('float32', [null, 4], { name: 'x' });
      const like = placeholder('float32', [null, 2, 2], { name: 'like' });
      return { y: reshape(x, shape(like)) };
    });
    expect(y.shape).toEqual([null, 2, 2]);
    const s = new Session(g, { device });
    const r = await s.run(y, {
      x: [[1, 2, 3, 4]],
      like: [
        [
          [0, 0],
          [0, 0],
        ],
      ],
    });
    expect(r.toArray()).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    s.close();
  });

  it('infers -1 statically only when the input size is known', () => {
    new Graph().asDefault(() => {
      expect(reshape(placeholder('float32', [4, 6]), [-1, 3]).shape).toEqual([8, 3]);
      expect(reshape(placeholder('float32', [null, 6]), [-1, 3]).shape).toEqual([null, 3]);
      expect(reshape(placeholder('float32', [2]), placeholder('int32', [3])).shape).toEqual([null, null, null]);
      expect(reshape(placeholder('float32', [2]), placeholder('int32')).shape).toBeNull();
    });
  });

  it('returns a fresh array: mutating a fetched reshape of a constant does not change the constant', async () => {
    const g = new Graph();
    const { c, r } = g.asDefault(() => {
      const c = constant([1, 2, 3, 4]);
      return { c, r: reshape(c, [2, 2]) };
    });
    const s = new Session(g, { device });
    const fetched = await s.run(r);
    fetched.data[0] = 99;
    expect((await s.run(c)).toArray()).toEqual([1, 2, 3, 4]);
    s.close();
  });

  it('expands and squeezes dims, with negative axes', async () => {
    expect((await evaluate1(device, () => expandDims([1, 2, 3], 0))).shape).toEqual([1, 3]);
    expect((await evaluate1(device, () => expandDims([1, 2, 3], -1))).shape).toEqual([3, 1]);
    expect((await evaluate1(device, () => expandDims(5, 0))).toArray()).toEqual([5]);
    expect((await evaluate1(device, () => squeeze([[[1], [2]]]))).toArray()).toEqual([1, 2]);
    expect((await evaluate1(device, () => squeeze([[[1], [2]]], [-1]))).shape).toEqual([1, 2]);
    expect((await evaluate1(device, () => squeeze([[7]]))).shape).toEqual([]);
  });

  it('fails at run time when a fed value does not fit', async () => {
    const g = new Graph();
    const { y, z } = g.asDefault(() => {
      const x = placeholder('float32', [null], { name: 'x' });
      return { y: reshape(x, [2, 2], { name: 'r' }), z: squeeze(expandDims(x, 0), [1], { name: 'sq' }) };
    });
    const s = new Session(g, { device });
    await expect(s.run(y, { x: [1, 2, 3] })).rejects.toThrow(
      /^Input to reshape is a tensor with 3 values, but the requested shape \[2,2\] does not fit \(op 'r'/,
    );
    await expect(s.run(z, { x: [1, 2, 3] })).rejects.toThrow(
      /Can not squeeze dim\[1\], expected a dimension of 1, got shape \[1,3\] \(op 'sq'\)/,
    );
    s.close();
  });
});

describe('reshape family shape errors', () => {
  it('names the op and shapes', () => {
    new Graph().asDefault(() => {
      const x = placeholder('float32', [2, 3]);
      expect(() => reshape(x, [4])).toThrow(
        /^Cannot reshape a tensor with 6 elements to shape \[4\] \(4 elements\) for 'Reshape' \(op: 'Reshape'\) with input shapes: \[2,3\], \[1\]\.$/,
      );
      expect(() => reshape(x, [-1, 4])).toThrow(/Cannot reshape a tensor with 6 elements to shape \[-1,4\]/);
      expect(() => reshape(x, [-1, -1])).toThrow(
        /Cannot infer multiple unknown dimensions in shape \[-1,-1\] for 'Reshape'/,
      );
      expect(() => reshape(x, [2.5, 2])).toThrow(
        /Reshape: shape: expected a list of non-negative integers \(or -1\), got \[2.5,2\]/,
      );
      expect(() => reshape(x, [-1, 2 ** 32])).toThrow(
        /^Reshape: shape: 4294967296 does not fit in int32, got \[-1,4294967296\]$/,
      );
      expect(() => reshape(x, placeholder('float32', [2]))).toThrow(
        /'Reshape' \(op: 'Reshape'\) has dtype float32, not in the allowed list: int32/,
      );
      expect(() => expandDims(x, 3)).toThrow(
        /^Tried to expand dim index 3 for tensor with 2 dimensions for 'ExpandDims'/,
      );
      expect(() => squeeze(x, 0)).toThrow(
        /^Can not squeeze dim\[0\], expected a dimension of 1, got 2 for 'Squeeze' \(op: 'Squeeze'\) with input shapes: \[2,3\]\.$/,
      );
      expect(() => squeeze(x, [2])).toThrow(/Tried to squeeze dim index 2 for tensor with 2 dimensions/);
      expect(squeeze(placeholder('float32', [1, null])).shape).toBeNull();
      expect(squeeze(placeholder('float32', [1, null]), 0).shape).toEqual([null]);
    });
  });
});
