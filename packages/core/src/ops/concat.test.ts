import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { ndarray } from '../ndarray/ndarray.js';
import { Session } from '../session/session.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';
import { concat } from './concat.js';
import { constant } from './constant.js';
import { placeholder } from './placeholder.js';

describe.each(DEVICES)('concat on %s', (device) => {
  it('joins along the first, last and a negative axis', async () => {
    expect(
      (
        await evaluate1(device, () =>
          concat(
            [
              [[1, 2]],
              [
                [3, 4],
                [5, 6],
              ],
            ],
            0,
          ),
        )
      ).toArray(),
    ).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(
      (
        await evaluate1(device, () =>
          concat(
            [
              [[1], [2]],
              [
                [3, 4],
                [5, 6],
              ],
            ],
            1,
          ),
        )
      ).toArray(),
    ).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ]);
    expect(
      (
        await evaluate1(device, () =>
          concat(
            [
              [[1], [2]],
              [[3], [4]],
            ],
            -1,
          ),
        )
      ).toArray(),
    ).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('joins a middle axis of rank-3 tensors with long rows, empty parts and int32', async () => {
    const a = Float32Array.from({ length: 2 * 1 * 40 }, (_, i) => i);
    const b = Float32Array.from({ length: 2 * 2 * 40 }, (_, i) => 1000 + i);
    const r = await evaluate1(device, () =>
      concat(
        [
          ndarray(a, { shape: [2, 1, 40] }),
          ndarray(new Float32Array(0), { shape: [2, 0, 40] }),
          ndarray(b, { shape: [2, 2, 40] }),
        ],
        1,
      ),
    );
    expect(r.shape).toEqual([2, 3, 40]);
    expect([r.get(0, 0, 39), r.get(0, 1, 0), r.get(1, 0, 0), r.get(1, 2, 39)]).toEqual([39, 1000, 40, 1159]);
    const ints = await evaluate1(device, () =>
      concat([constant([1], { dtype: 'int32' }), constant([2, 3], { dtype: 'int32' })], 0),
    );
    expect(ints.dtype).toBe('int32');
    expect(ints.toArray()).toEqual([1, 2, 3]);
  });

  it('fails at run time when fed parts disagree, naming the op', async () => {
    const g = new Graph();
    const y = g.asDefault(() =>
      concat([placeholder('float32', [null, 2], { name: 'a' }), placeholder('float32', [1, null], { name: 'b' })], 0, {
        name: 'cat',
      }),
    );
    expect(y.shape).toEqual([null, 2]);
    const s = new Session(g, { device });
    await expect(s.run(y, { a: [[1, 2]], b: [[1, 2, 3]] })).rejects.toThrow(
      /Concat 'cat': input shapes \[1,2\], \[1,3\] differ outside axis 0/,
    );
    s.close();
  });
});

describe('concat shape inference and errors', () => {
  it('infers shapes and rejects mismatches', () => {
    new Graph().asDefault(() => {
      expect(concat([placeholder('float32', [2, null]), placeholder('float32', [3, 4])], 0).shape).toEqual([5, 4]);
      expect(concat([placeholder('float32', [2, 3]), placeholder('float32')], 1).shape).toEqual([2, null]);
      const a = placeholder('float32', [2, 3]);
      expect(() => concat([a, placeholder('float32', [2, 4])], 0)).toThrow(
        /^Dimension 1 in both shapes must be equal, but are 3 and 4 for 'Concat(_\d+)?' \(op: 'Concat'\) with input shapes: \[2,3\], \[2,4\]\.$/,
      );
      expect(() => concat([a, placeholder('float32', [2])], 0)).toThrow(
        /Shape must be rank 2 but is rank 1 for 'Concat/,
      );
      expect(() => concat([a, a], 2)).toThrow(/Expected concatenating dimension in the range \[-2, 2\), but got 2/);
      expect(() => concat([a, placeholder('int32', [2, 3])], 0)).toThrow(/Input dtypes must match/);
      expect(() => concat([], 0)).toThrow(/Concat: expected a non-empty list of tensors/);
    });
  });
});
