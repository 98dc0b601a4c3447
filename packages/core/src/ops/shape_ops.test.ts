import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { ndarray } from '../ndarray/ndarray.js';
import { Session } from '../session/session.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';
import { constant } from './constant.js';
import { placeholder } from './placeholder.js';
import { broadcastTo, shape, size, tile } from './shape_ops.js';

describe.each(DEVICES)('shape, size, tile, broadcastTo on %s', (device) => {
  it('reports the run-time shape and size as int32', async () => {
    const g = new Graph();
    const { s, n } = g.asDefault(() => {
      const x = placeholder('float32', [null, 3], { name: 'x' });
      return { s: shape(x), n: size(x) };
    });
    expect(s.op.name).toBe('Shape');
    expect(s.shape).toEqual([2]);
    expect(n.shape).toEqual([]);
    const sess = new Session(g, { device });
    const [sv, nv] = await sess.run([s, n], {
      x: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
    expect(sv!.dtype).toBe('int32');
    expect(sv!.toArray()).toEqual([2, 3]);
    expect(nv!.item()).toBe(6);
    sess.close();
    expect((await evaluate1(device, () => shape(4))).shape).toEqual([0]);
  });

  it('tiles along every axis', async () => {
    const r = await evaluate1(device, () =>
      tile(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 3],
      ),
    );
    expect(r.toArray()).toEqual([
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
    ]);
    expect((await evaluate1(device, () => tile([1, 2], [0]))).shape).toEqual([0]);
    expect((await evaluate1(device, () => tile(constant([[5]], { dtype: 'int32' }), [1, 1]))).toArray()).toEqual([[5]]);
    const big = await evaluate1(device, () =>
      tile(
        ndarray(
          Float32Array.from({ length: 100 }, (_, i) => i),
          { shape: [1, 100] },
        ),
        [3, 1],
      ),
    );
    expect(Array.from(big.data.subarray(200, 203))).toEqual([0, 1, 2]);
  });

  it('broadcasts with numpy rules', async () => {
    expect((await evaluate1(device, () => broadcastTo([1, 2, 3], [2, 3]))).toArray()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect((await evaluate1(device, () => broadcastTo([[1], [2]], [2, 3]))).toArray()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect((await evaluate1(device, () => broadcastTo(7, [2, 1, 2]))).toArray()).toEqual([[[7, 7]], [[7, 7]]]);
    expect((await evaluate1(device, () => broadcastTo([[1], [2]], [3, 2, 0]))).shape).toEqual([3, 2, 0]);
    const r = await evaluate1(device, () =>
      broadcastTo(
        ndarray(
          Float32Array.from({ length: 80 }, (_, i) => i),
          { shape: [1, 80] },
        ),
        [2, 80],
      ),
    );
    expect(r.data[80 + 79]).toBe(79);
  });

  it('broadcasts to a run-time shape tensor', async () => {
    const g = new Graph();
    const y = g.asDefault(() => broadcastTo([1, 2], shape(placeholder('float32', [null, 2], { name: 'x' }))));
    expect(y.shape).toEqual([null, 2]);
    const s = new Session(g, { device });
    expect(
      (
        await s.run(y, {
          x: [
            [0, 0],
            [0, 0],
            [0, 0],
          ],
        })
      ).toArray(),
    ).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    const unknown = g.asDefault(() =>
      broadcastTo([1, 2, 3], shape(placeholder('float32', [null, null], { name: 'z' })), { name: 'bt' }),
    );
    await expect(s.run(unknown, { z: [[0, 0]] })).rejects.toThrow(
      /BroadcastTo 'bt': cannot broadcast a tensor of shape \[3\] to shape \[1,2\]/,
    );
    s.close();
  });
});

describe('shape op inference and errors', () => {
  it('infers static shapes and rejects bad arguments', () => {
    new Graph().asDefault(() => {
      const x = placeholder('float32', [2, 3]);
      expect(tile(placeholder('float32', [null, 3]), [2, 2]).shape).toEqual([null, 6]);
      expect(tile(x, placeholder('int32', [2])).shape).toEqual([null, null]);
      expect(broadcastTo(x, placeholder('int32', [3])).shape).toEqual([null, 2, 3]);
      expect(broadcastTo(placeholder('float32', [1]), placeholder('int32', [2])).shape).toEqual([null, null]);
      expect(shape(placeholder('float32')).shape).toEqual([null]);
      expect(() => tile(x, [2])).toThrow(
        /^Shape must be rank 2 but multiples has length 1 for 'Tile_\d+' \(op: 'Tile'\) with input shapes: \[2,3\], \[1\]\.$/,
      );
      expect(() => tile(x, [-1, 2])).toThrow(/Tile: multiples: expected a list of non-negative integers, got \[-1,2\]/);
      expect(() => tile(x, [2 ** 32, 2])).toThrow(
        /^Tile: multiples: 4294967296 does not fit in int32, got \[4294967296,2\]$/,
      );
      expect(() => broadcastTo(x, [3, 3])).toThrow(
        /^Dimensions must be equal or 1, but are 2 and 3 \(input dim 0\) for 'BroadcastTo(_\d+)?' \(op: 'BroadcastTo'\) with input shapes: \[2,3\], \[2\]\.$/,
      );
      expect(() => broadcastTo(x, [3])).toThrow(
        /Rank of input \(2\) must be no greater than rank of output shape \(1\) for 'BroadcastTo(_\d+)?'/,
      );
    });
  });
});
