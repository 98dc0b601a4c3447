import {
  Graph,
  type NDArray,
  ndarray,
  Variable,
  add,
  argMax,
  cast,
  constant,
  equal,
  matMul,
  placeholder,
  reduceMean,
  sparseSoftmaxCrossEntropyWithLogits,
  zeros,
} from '@tsflow/core';
import { Dataset } from '@tsflow/data';
import { GradientDescentOptimizer } from '../optimizers/gradient_descent.js';
import { AdamOptimizer } from '../optimizers/adam.js';

/** Two well-separated 2-D classes: 64 points, deterministic. */
export function twoClassRows(count = 64): { x: number[]; y: number }[] {
  const rows: { x: number[]; y: number }[] = [];
  for (let i = 0; i < count; i++) {
    const y = i % 2;
    const t = (i * 0.37) % 1;
    rows.push({ x: [y === 1 ? 1 + t : -1 - t, t - 0.5], y });
  }
  return rows;
}

export interface TinyBatch {
  x: NDArray;
  y: NDArray;
}

/** Shuffled batches of 8 (seeded, so every run and every resumed run sees the same order). */
export function tinyDataset(seed = 3, count = 64): Dataset<TinyBatch> {
  const rows = twoClassRows(count);
  const x = ndarray(
    rows.flatMap((r) => r.x),
    { shape: [count, 2] },
  );
  const y = ndarray(
    rows.map((r) => r.y),
    { dtype: 'int32' },
  );
  return Dataset.fromTensorSlices({ x, y }).shuffle(count, { seed }).batch(8) as unknown as Dataset<TinyBatch>;
}

/** Softmax regression on 2-D points, with an accuracy metric. */
/** `learningRateVariable`: the rate lives in a non-trainable `learning_rate` variable (for schedules). */
export function tinyModel(
  options: { optimizer?: 'adam' | 'sgd'; learningRate?: number; learningRateVariable?: boolean } = {},
) {
  const graph = new Graph();
  return graph.asDefault(() => {
    const x = placeholder('float32', [null, 2], { name: 'x' });
    const y = placeholder('int32', [null], { name: 'y' });
    const w = new Variable(
      constant([
        [0.1, -0.1],
        [0.2, 0.05],
      ]),
      { name: 'dense/kernel' },
    );
    const b = new Variable(zeros([2]), { name: 'dense/bias' });
    const logits = add(matMul(x, w), b, { name: 'logits' });
    const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels: y, logits }));
    const accuracy = reduceMean(cast(equal(cast(argMax(logits, 1), 'int32'), y), 'float32'));
    const rate = options.learningRate ?? 0.1;
    const lr = options.learningRateVariable ? new Variable(rate, { name: 'learning_rate', trainable: false }) : rate;
    const optimizer = options.optimizer === 'sgd' ? new GradientDescentOptimizer(lr) : new AdamOptimizer(lr);
    return {
      graph,
      lr,
      x,
      y,
      w,
      b,
      logits,
      loss,
      accuracy,
      optimizer,
      feeds: (batch: TinyBatch) => ({ x: batch.x, y: batch.y }),
    };
  });
}
