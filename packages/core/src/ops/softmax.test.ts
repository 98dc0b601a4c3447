import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { ndarray } from '../ndarray/ndarray.js';
import { DEVICES, evaluate1, expectClose } from '../test_support/devices.js';
import { placeholder } from './placeholder.js';
import { logSoftmax, softmax } from './softmax.js';

/** float64 log-softmax of one row. */
function refLogSoftmax(row: number[]): number[] {
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return row.map((v) => v - logSum);
}

describe.each(DEVICES)('softmax and logSoftmax on %s', (device) => {
  const rows = [
    [1, 2, 3],
    [-1, 0, 5],
    [0.5, 0.5, 0.5],
  ];

  it('matches a float64 reference along the last axis', async () => {
    const s = await evaluate1(device, () => softmax(rows));
    const l = await evaluate1(device, () => logSoftmax(rows));
    const expectedLog = rows.flatMap(refLogSoftmax);
    expectClose(l.data, expectedLog);
    expectClose(s.data, expectedLog.map(Math.exp));
  });

  it('stays finite for huge logits', async () => {
    const s = await evaluate1(device, () =>
      softmax([
        [1000, 1001, 1002],
        [-1e30, 0, 1e30],
      ]),
    );
    expectClose(s.data, [...refLogSoftmax([0, 1, 2]).map(Math.exp), 0, 0, 1]);
    const l = await evaluate1(device, () => logSoftmax([[1000, 1001, 1002]]));
    expectClose(l.data, refLogSoftmax([0, 1, 2]));
  });

  it('works along a middle axis and axis 0', async () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3);
    const r = await evaluate1(device, () => logSoftmax(ndarray(data, { shape: [2, 3, 4] }), 1));
    const expected = new Array<number>(24);
    for (let o = 0; o < 2; o++) {
      for (let i = 0; i < 4; i++) {
        const column = [0, 1, 2].map((j) => data[o * 12 + j * 4 + i]!);
        refLogSoftmax(column).forEach((v, j) => {
          expected[o * 12 + j * 4 + i] = v;
        });
      }
    }
    expectClose(r.data, expected, { atol: 1e-5 });
    const c = await evaluate1(device, () =>
      softmax(
        [
          [1, 2],
          [1, 4],
        ],
        0,
      ),
    );
    expectClose(c.data, [0.5, Math.exp(refLogSoftmax([2, 4])[0]!), 0.5, Math.exp(refLogSoftmax([2, 4])[1]!)]);
  });

  it('handles a single class and empty batches', async () => {
    expect(Array.from((await evaluate1(device, () => softmax([[3], [-2]]))).data)).toEqual([1, 1]);
    expect((await evaluate1(device, () => softmax(ndarray(new Float32Array(0), { shape: [0, 3] })))).shape).toEqual([
      0, 3,
    ]);
  });
});

describe('softmax shape inference and errors', () => {
  it('keeps the shape and rejects bad input', () => {
    new Graph().asDefault(() => {
      expect(softmax(placeholder('float32', [null, 10])).shape).toEqual([null, 10]);
      expect(() => softmax(placeholder('float32', []))).toThrow(
        /^Shape must be at least rank 1 but is rank 0 for 'Softmax(_\d+)?' \(op: 'Softmax'\)/,
      );
      expect(() => logSoftmax(placeholder('float32', [2, 3]), 2)).toThrow(
        /Dimension \(2\) must be in the range \[-2, 2\)/,
      );
      expect(() => softmax(placeholder('int32', [2]))).toThrow(/has dtype int32, not in the allowed list: float32/);
    });
  });
});
