import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { Session } from '../session/session.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';
import { constant } from './constant.js';
import { gather } from './gather.js';
import { placeholder } from './placeholder.js';

describe.each(DEVICES)('gather on %s', (device) => {
  it('gathers rows by default and keeps float values', async () => {
    const r = await evaluate1(device, () =>
      gather(
        [
          [1.5, 2],
          [3, 4],
          [5, 6],
        ],
        [2, 0, 2],
      ),
    );
    expect(r.dtype).toBe('float32');
    expect(r.toArray()).toEqual([
      [5, 6],
      [1.5, 2],
      [5, 6],
    ]);
  });

  it('gathers along an inner axis with multi-dim indices', async () => {
    const params = [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]; // [1,2,3]
    const r = await evaluate1(device, () =>
      gather(
        params,
        [
          [2, 0],
          [1, 1],
        ],
        2,
      ),
    );
    expect(r.shape).toEqual([1, 2, 2, 2]);
    expect(r.toArray()).toEqual([
      [
        [
          [3, 1],
          [2, 2],
        ],
        [
          [6, 4],
          [5, 5],
        ],
      ],
    ]);
    expect((await evaluate1(device, () => gather(params, 1, -2))).toArray()).toEqual([[4, 5, 6]]);
  });

  it('gathers int32 params and empty index lists', async () => {
    const r = await evaluate1(device, () => gather(constant([10, 20, 30], { dtype: 'int32' }), [1]));
    expect(r.toArray()).toEqual([20]);
    expect(
      (await evaluate1(device, () => gather([[1, 2]], constant([], { dtype: 'int32', shape: [0] })))).shape,
    ).toEqual([0, 2]);
  });

  it('names the bad index and the valid range', async () => {
    const g = new Graph();
    const y = g.asDefault(() =>
      gather(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        placeholder('int32', [2, 2], { name: 'ids' }),
        0,
        { name: 'lookup' },
      ),
    );
    const s = new Session(g, { device });
    await expect(
      s.run(y, {
        ids: [
          [0, 1],
          [3, 2],
        ],
      }),
    ).rejects.toThrow(/^indices\[1,0\] = 3 is not in \[0, 3\) \(op 'lookup'/);
    await expect(
      s.run(y, {
        ids: [
          [0, -1],
          [1, 2],
        ],
      }),
    ).rejects.toThrow(/^indices\[0,1\] = -1 is not in \[0, 3\)/);
    s.close();
  });
});

describe('gather shape inference and errors', () => {
  it('infers shapes and rejects bad arguments', () => {
    new Graph().asDefault(() => {
      expect(gather(placeholder('float32', [10, 4]), placeholder('int32', [null, 3])).shape).toEqual([null, 3, 4]);
      expect(gather(placeholder('float32', [10, 4]), placeholder('int32', [5]), 1).shape).toEqual([10, 5]);
      expect(() => gather(placeholder('float32', [10, 4]), placeholder('float32', [2]))).toThrow(
        /'GatherV2_\d+' \(op: 'GatherV2'\) has dtype float32, not in the allowed list: int32/,
      );
      expect(() => gather(placeholder('float32', [10]), [1], 1)).toThrow(
        /Shape must be at least rank 2 but is rank 1 for 'GatherV2/,
      );
      // Plain index lists would otherwise be truncated / wrapped silently by the int32 conversion.
      expect(() => gather([1, 2, 3], [1.5])).toThrow(/^GatherV2: indices: 1\.5 is not an int32 value$/);
      expect(() => gather([1, 2, 3], [[0], [2 ** 32]], 0, { name: 'lookup' })).toThrow(
        /^lookup: indices: 4294967296 is not an int32 value$/,
      );
    });
  });
});
