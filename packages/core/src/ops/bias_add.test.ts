import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { Session } from '../session/session.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';
import { biasAdd } from './bias_add.js';
import { constant } from './constant.js';
import { placeholder } from './placeholder.js';

describe.each(DEVICES)('biasAdd on %s', (device) => {
  it('adds the bias along the last dim for rank 1, 2 and 4', async () => {
    expect((await evaluate1(device, () => biasAdd([1, 2], [10, 20]))).toArray()).toEqual([11, 22]);
    expect(
      (
        await evaluate1(device, () =>
          biasAdd(
            [
              [1, 2, 3],
              [4, 5, 6],
            ],
            [0.5, 0, -1],
          ),
        )
      ).toArray(),
    ).toEqual([
      [1.5, 2, 2],
      [4.5, 5, 5],
    ]);
    const r = await evaluate1(device, () => biasAdd([[[[1, 2]], [[3, 4]]]], [100, 200]));
    expect(r.shape).toEqual([1, 2, 1, 2]);
    expect(Array.from(r.data)).toEqual([101, 202, 103, 204]);
    const ints = await evaluate1(device, () =>
      biasAdd(constant([[1, 2]], { dtype: 'int32' }), constant([3, 4], { dtype: 'int32' })),
    );
    expect(ints.dtype).toBe('int32');
    expect(ints.toArray()).toEqual([[4, 6]]);
  });

  it('fails at run time when a fed bias does not fit', async () => {
    const g = new Graph();
    const y = g.asDefault(() =>
      biasAdd(placeholder('float32', [null, null], { name: 'x' }), placeholder('float32', [null], { name: 'b' }), {
        name: 'ba',
      }),
    );
    const s = new Session(g, { device });
    await expect(s.run(y, { x: [[1, 2]], b: [1, 2, 3] })).rejects.toThrow(
      /Must provide as many biases as the last dimension of the input tensor: \[3\] vs\. \[1,2\] \(op 'ba'\)/,
    );
    s.close();
  });
});

describe('biasAdd shape errors', () => {
  it('names the op and shapes like TF', () => {
    new Graph().asDefault(() => {
      expect(biasAdd(placeholder('float32', [null, null]), placeholder('float32', [5])).shape).toEqual([null, 5]);
      expect(() => biasAdd(placeholder('float32', [2, 3]), placeholder('float32', [4]))).toThrow(
        /^Dimensions must be equal, but are 3 and 4 for 'BiasAdd(_\d+)?' \(op: 'BiasAdd'\) with input shapes: \[2,3\], \[4\]\.$/,
      );
      expect(() => biasAdd(placeholder('float32', [2, 3]), placeholder('float32', [1, 3]))).toThrow(
        /Shape must be rank 1 but is rank 2 for 'BiasAdd/,
      );
    });
  });
});
