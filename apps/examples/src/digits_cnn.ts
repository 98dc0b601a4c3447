import {
  Graph,
  Session,
  Variable,
  argMax,
  biasAdd,
  cast,
  conv2d,
  equal,
  matMul,
  maxPool,
  mul,
  placeholder,
  reduceMean,
  relu,
  reshape,
  sparseSoftmaxCrossEntropyWithLogits,
  sub,
  truncatedNormal,
  zeros,
} from '@tsflow/core';
import type { Dataset, ProgressMode } from '@tsflow/data';
import { AdamOptimizer, type History, Trainer } from '@tsflow/train';
import { type DigitsBatch, pixelStatistics, splitDigits } from './digits_split.js';
import { fixturePath } from './fixtures.js';

export interface DigitsCnnOptions {
  dataPath?: string;
  epochs?: number;
  batchSize?: number;
  filters?: number;
  learningRate?: number;
  seed?: number;
  progress?: ProgressMode;
}

/**
 * A small CNN on the 8×8 digits: conv 3×3 (SAME) → ReLU → max-pool 2×2 → dense 10, built from
 * the `conv2d`, `maxPool` and `biasAdd` ops, trained with `Trainer.fit`.
 */
export function buildDigitsCnn(
  filters: number,
  learningRate: number,
  seed: number,
  pixelMean: number,
  pixelStd: number,
) {
  const graph = new Graph();
  graph.seed = seed;
  return graph.asDefault(() => {
    const pixels = placeholder('float32', [null, 64], { name: 'pixels' });
    const labels = placeholder('int32', [null], { name: 'labels' });
    const images = reshape(mul(sub(pixels, pixelMean), 1 / pixelStd), [-1, 8, 8, 1], { name: 'images' });
    const kernel = new Variable(truncatedNormal([3, 3, 1, filters], { stddev: Math.sqrt(2 / 9), seed: 1 }), {
      name: 'conv/kernel',
    });
    const bias = new Variable(zeros([filters]), { name: 'conv/bias' });
    const conv = relu(biasAdd(conv2d(images, kernel, 1, 'SAME'), bias), { name: 'conv/relu' });
    const pooled = maxPool(conv, 2, 2, 'VALID', { name: 'pool' });
    const flat = reshape(pooled, [-1, 16 * filters], { name: 'flatten' });
    const w = new Variable(truncatedNormal([16 * filters, 10], { stddev: Math.sqrt(1 / (16 * filters)), seed: 2 }), {
      name: 'logits/kernel',
    });
    const b = new Variable(zeros([10]), { name: 'logits/bias' });
    const logits = biasAdd(matMul(flat, w), b, { name: 'logits' });
    const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels, logits }), undefined, false, {
      name: 'loss',
    });
    const accuracy = reduceMean(cast(equal(cast(argMax(logits, 1), 'int32'), labels), 'float32'), undefined, false, {
      name: 'accuracy',
    });
    return { graph, loss, accuracy, optimizer: new AdamOptimizer(learningRate) };
  });
}

/** Trains the CNN on the same split as the MLP and returns the history and held-out accuracy. */
export async function trainDigitsCnn(
  options: DigitsCnnOptions = {},
): Promise<{ history: History; testAccuracy: number }> {
  const {
    dataPath = fixturePath('parquet/digits.parquet'),
    epochs = 10,
    batchSize = 32,
    filters = 16,
    learningRate = 0.003,
    seed = 42,
  } = options;
  const { train, heldOut } = await splitDigits(dataPath, 5);
  const { mean, std } = await pixelStatistics(train);
  const model = buildDigitsCnn(filters, learningRate, seed, mean, std);
  const trainer = new Trainer<DigitsBatch>({
    session: new Session(model.graph),
    loss: model.loss,
    optimizer: model.optimizer,
    feeds: (batch) => ({ pixels: batch.pixels, labels: batch.label }),
    metrics: { accuracy: model.accuracy },
  });
  try {
    const history = await trainer.fit(
      train.shuffle(2048, { seed }).batch(batchSize) as unknown as Dataset<DigitsBatch>,
      {
        epochs,
        validation: { dataset: heldOut.batch(1024) as unknown as Dataset<DigitsBatch> },
        progress: options.progress ?? 'auto',
      },
    );
    return { history, testAccuracy: history.epochs.at(-1)?.valMetrics?.['accuracy'] ?? Number.NaN };
  } finally {
    trainer.session.close();
  }
}
