import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  Graph,
  Variable,
  add,
  argMax,
  cast,
  equal,
  matMul,
  mul,
  placeholder,
  reduceMean,
  relu,
  sparseSoftmaxCrossEntropyWithLogits,
  sub,
  truncatedNormal,
  zeros,
  Session,
  type SessionDevice,
} from '@tsflow/core';
import type { Dataset, ProgressMode, ProgressStream } from '@tsflow/data';
import { AdamOptimizer, type History, Trainer, learningRateSchedule } from '@tsflow/train';
import { type DigitsBatch, pixelStatistics, splitDigits } from './digits_split.js';
import { fixturePath, repoPath } from './fixtures.js';

export interface DigitsTrainingOptions {
  /** Parquet file with a `pixels` fixed-size-list<float>[64] column and an integer `label` column. */
  dataPath?: string;
  epochs?: number;
  batchSize?: number;
  hiddenUnits?: number;
  /** Adam's rate in the first epoch; multiplied by `decay` every epoch after. */
  learningRate?: number;
  decay?: number;
  seed?: number;
  /** Every N-th row is held out (default 5: 20%). */
  heldOutEvery?: number;
  /** Where kernels run: 'cpu' (default), 'gpu' (gpu.js) or 'auto'. */
  device?: SessionDevice;
  /** Checkpoints and TensorBoard logs go here (default `runs/digits` of the repository); `null` writes neither. */
  runDir?: string | null;
  resume?: boolean;
  progress?: ProgressMode;
  progressStream?: ProgressStream;
  signal?: AbortSignal;
}

export interface DigitsTrainingResult {
  history: History;
  /** Accuracy on the held-out rows after the last epoch. */
  testAccuracy: number;
  stepsPerSecond: number;
  runDir: string | null;
}

/** A 64 → hidden → 10 ReLU MLP on standardized pixels, as a TF1 graph; the rate is a variable for the schedule. */
export function buildDigitsModel(
  hiddenUnits: number,
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
    // Standardized with the training split's statistics: Adam's steps then suit every weight.
    const x = mul(sub(pixels, pixelMean), 1 / pixelStd, { name: 'standardized' });
    // He-style scale (~sqrt(2 / fan_in)) keeps ReLU activations from shrinking or exploding.
    const w1 = new Variable(truncatedNormal([64, hiddenUnits], { stddev: Math.sqrt(2 / 64), seed: 1 }), {
      name: 'hidden/kernel',
    });
    const b1 = new Variable(zeros([hiddenUnits]), { name: 'hidden/bias' });
    const w2 = new Variable(truncatedNormal([hiddenUnits, 10], { stddev: Math.sqrt(1 / hiddenUnits), seed: 2 }), {
      name: 'logits/kernel',
    });
    const b2 = new Variable(zeros([10]), { name: 'logits/bias' });
    const hidden = relu(add(matMul(x, w1), b1), { name: 'hidden/relu' });
    const logits = add(matMul(hidden, w2), b2, { name: 'logits' });
    const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels, logits }), undefined, false, {
      name: 'loss',
    });
    const accuracy = reduceMean(cast(equal(cast(argMax(logits, 1), 'int32'), labels), 'float32'), undefined, false, {
      name: 'accuracy',
    });
    const rate = new Variable(learningRate, { name: 'learning_rate', trainable: false });
    return { graph, loss, accuracy, logits, optimizer: new AdamOptimizer(rate) };
  });
}

/**
 * The README's main job: trains the digits MLP with `Trainer.fit` (progress, validation on
 * the held-out rows each epoch, checkpoints and TensorBoard logs under `runDir`).
 */
export async function trainDigitsMlp(options: DigitsTrainingOptions = {}): Promise<DigitsTrainingResult> {
  const {
    dataPath = fixturePath('parquet/digits.parquet'),
    epochs = 20,
    batchSize = 32,
    hiddenUnits = 128,
    learningRate = 0.003,
    decay = 0.85,
    seed = 42,
    heldOutEvery = 5,
    device = 'cpu',
    runDir = repoPath('runs/digits'),
    resume = false,
  } = options;
  const { train, heldOut } = await splitDigits(dataPath, heldOutEvery);
  const { mean, std } = await pixelStatistics(train);
  const model = buildDigitsModel(hiddenUnits, learningRate, seed, mean, std);
  const trainer = new Trainer<DigitsBatch>({
    session: new Session(model.graph, { device }),
    loss: model.loss,
    optimizer: model.optimizer,
    feeds: (batch) => ({ pixels: batch.pixels, labels: batch.label }),
    metrics: { accuracy: model.accuracy },
  });
  const batches = train.shuffle(2048, { seed }).batch(batchSize) as unknown as Dataset<DigitsBatch>;
  const dir = runDir === null ? null : resolve(runDir);
  if (dir !== null && !resume) await clearRun(dir);
  const started = performance.now();
  try {
    const history = await trainer.fit(batches, {
      epochs,
      validation: { dataset: heldOut.batch(1024) as unknown as Dataset<DigitsBatch> },
      ...(dir === null ? {} : { checkpointDir: dir, logdir: join(dir, 'logs'), resume }),
      callbacks: [learningRateSchedule((epoch) => learningRate * decay ** epoch)],
      progress: options.progress ?? 'auto',
      ...(options.progressStream ? { progressStream: options.progressStream } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    const last = history.epochs.at(-1);
    return {
      history,
      testAccuracy: last?.valMetrics?.['accuracy'] ?? Number.NaN,
      stepsPerSecond: history.steps / seconds,
      runDir: dir,
    };
  } finally {
    trainer.session.close();
  }
}

/** A fresh run replaces the previous run's checkpoints and event files (and nothing else in `dir`). */
async function clearRun(dir: string): Promise<void> {
  const ours = (name: string) => name === 'checkpoint' || /^model-\d+\.safetensors$/.test(name);
  for (const name of await readdir(dir).catch(() => [] as string[])) if (ours(name)) await rm(join(dir, name));
  for (const name of await readdir(join(dir, 'logs')).catch(() => [] as string[])) {
    if (name.startsWith('events.out.tfevents.')) await rm(join(dir, 'logs', name));
  }
}
