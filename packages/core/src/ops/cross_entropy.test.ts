import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { Session } from '../session/session.js';
import { DEVICES, evaluate, evaluate1, expectClose } from '../test_support/devices.js';
import { constant } from './constant.js';
import {
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
} from './cross_entropy.js';
import { placeholder } from './placeholder.js';
import type { NDArray } from '../ndarray/ndarray.js';

const LOGITS = [
  [2, 1, 0.1],
  [0.5, 2.5, -1],
  [1000, 0, -1000],
];
const IDS = [0, 1, 2];

function refLogSoftmax(row: number[]): number[] {
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return row.map((v) => v - logSum);
}

describe.each(DEVICES)('cross-entropy losses on %s', (device) => {
  it('dense: per-example -Σ labels·logSoftmax and the softmax - labels gradient output', async () => {
    const labels = [
      [0.7, 0.2, 0.1],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const [loss, backprop] = (await evaluate(device, () => {
      const l = softmaxCrossEntropyWithLogits({ labels, logits: LOGITS });
      return [l, l.op.outputs[1]!];
    })) as NDArray[];
    expect(loss!.shape).toEqual([3]);
    const expected = LOGITS.map((row, r) => -refLogSoftmax(row).reduce((s, v, j) => s + labels[r]![j]! * v, 0));
    expectClose(loss!.data, expected, { rtol: 1e-5, atol: 1e-4 });
    expect(Number.isFinite(loss!.data[2]!)).toBe(true);
    const expectedGrad = LOGITS.flatMap((row, r) => refLogSoftmax(row).map((v, j) => Math.exp(v) - labels[r]![j]!));
    expectClose(backprop!.data, expectedGrad, { atol: 1e-6 });
  });

  it('sparse: equals the dense loss of one-hot labels, for rank-1 and rank-3 logits', async () => {
    const [loss, backprop] = (await evaluate(device, () => {
      const l = sparseSoftmaxCrossEntropyWithLogits({ labels: IDS, logits: LOGITS });
      return [l, l.op.outputs[1]!];
    })) as NDArray[];
    expect(loss!.shape).toEqual([3]);
    expectClose(
      loss!.data,
      LOGITS.map((row, r) => -refLogSoftmax(row)[IDS[r]!]!),
      { atol: 1e-4 },
    );
    expectClose(
      backprop!.data,
      LOGITS.flatMap((row, r) => refLogSoftmax(row).map((v, j) => Math.exp(v) - (j === IDS[r] ? 1 : 0))),
      { atol: 1e-6 },
    );
    const single = await evaluate1(device, () => sparseSoftmaxCrossEntropyWithLogits({ labels: 1, logits: [0, 0] }));
    expect(single.shape).toEqual([]);
    expectClose([single.item()], [Math.log(2)]);
    const deep = await evaluate1(device, () =>
      sparseSoftmaxCrossEntropyWithLogits({ labels: [[[0], [1]]], logits: [[[[1, 2]], [[3, 0]]]] }),
    );
    expect(deep.shape).toEqual([1, 2, 1]);
    expectClose(deep.data, [-refLogSoftmax([1, 2])[0]!, -refLogSoftmax([3, 0])[1]!]);
  });

  it('sparse: names an out-of-range label like TF', async () => {
    const g = new Graph();
    const loss = g.asDefault(() =>
      sparseSoftmaxCrossEntropyWithLogits({
        labels: placeholder('int32', [null], { name: 'y' }),
        logits: constant([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      }),
    );
    const s = new Session(g, { device });
    await expect(s.run(loss, { y: [0, 5] })).rejects.toThrow(
      /^Received a label value of 5 which is outside the valid range of \[0, 3\)\. {2}Label values: 0 5$/,
    );
    await expect(s.run(loss, { y: [-1, 0] })).rejects.toThrow(
      /Received a label value of -1 which is outside the valid range of \[0, 3\)/,
    );
    await expect(s.run(loss, { y: [0] })).rejects.toThrow(
      /labels shape must equal logits shape except for the last dimension: labels \[1\], logits \[2,3\]/,
    );
    s.close();
  });

  it('sigmoid: TF stable formula, elementwise, no overflow for large |logits|', async () => {
    const logits = [[-100, -2, 0, 0.5, 3, 100]];
    const labels = [[0, 1, 0.5, 1, 0, 1]];
    const r = await evaluate1(device, () => sigmoidCrossEntropyWithLogits({ labels, logits }));
    expect(r.shape).toEqual([1, 6]);
    // float64 reference: -z·log(σ(x)) - (1-z)·log(1-σ(x)), with log σ(x) = -log1p(exp(-x)).
    const expected = logits[0]!.map((x, i) => {
      const z = labels[0]![i]!;
      const logSig = x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
      const logOneMinus = logSig - x;
      return -z * logSig - (1 - z) * logOneMinus;
    });
    expectClose(r.data, expected, { rtol: 1e-5, atol: 1e-6 });
  });
});

describe('cross-entropy shape inference and errors', () => {
  it('infers per-example shapes and rejects mismatches', () => {
    new Graph().asDefault(() => {
      const logits = placeholder('float32', [null, 10]);
      expect(softmaxCrossEntropyWithLogits({ labels: placeholder('float32', [32, null]), logits }).shape).toEqual([32]);
      const sparse = sparseSoftmaxCrossEntropyWithLogits({ labels: placeholder('int32', [null]), logits });
      expect(sparse.shape).toEqual([null]);
      expect(sparse.op.outputs[1]!.shape).toEqual([null, 10]);
      expect(
        sigmoidCrossEntropyWithLogits({
          labels: placeholder('float32', [null, 3]),
          logits: placeholder('float32', [4, null]),
        }).shape,
      ).toEqual([4, 3]);
      expect(() =>
        softmaxCrossEntropyWithLogits({
          labels: placeholder('float32', [2, 4]),
          logits: placeholder('float32', [2, 3]),
        }),
      ).toThrow(
        /^logits and labels must be the same shape for 'SoftmaxCrossEntropyWithLogits(_\d+)?' \(op: 'SoftmaxCrossEntropyWithLogits'\): logits \[2,3\], labels \[2,4\]\.$/,
      );
      expect(() =>
        sparseSoftmaxCrossEntropyWithLogits({
          labels: placeholder('int32', [3]),
          logits: placeholder('float32', [2, 3]),
        }),
      ).toThrow(
        /labels shape must equal logits shape except for the last dimension for 'SparseSoftmaxCrossEntropyWithLogits.*labels \[3\], logits \[2,3\]/,
      );
      expect(() =>
        sparseSoftmaxCrossEntropyWithLogits({
          labels: placeholder('float32', [2]),
          logits: placeholder('float32', [2, 3]),
        }),
      ).toThrow(/has dtype float32, not in the allowed list: int32/);
      expect(() =>
        sigmoidCrossEntropyWithLogits({ labels: placeholder('float32', [2]), logits: placeholder('float32', [3]) }),
      ).toThrow(
        /logits and labels must have the same shape for 'SigmoidCrossEntropyWithLogits(_\d+)?'.*logits \[3\], labels \[2\]/,
      );
      expect(() => softmaxCrossEntropyWithLogits({ logits } as never)).toThrow(
        /softmaxCrossEntropyWithLogits: expected an object \{ labels, logits \}/,
      );
      expect(() => sparseSoftmaxCrossEntropyWithLogits({ labels: [1.5], logits: [[1, 2]] })).toThrow(
        /^sparseSoftmaxCrossEntropyWithLogits: labels: 1\.5 is not an int32 value$/,
      );
    });
  });
});
