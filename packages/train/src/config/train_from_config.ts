import { join } from 'node:path';
import { Session } from '@tsflow/core';
import type { Dataset, ProgressMode, ProgressStream } from '@tsflow/data';
import { Trainer } from '../trainer/trainer.js';
import type { History } from '../trainer/trainer_types.js';
import { type FeatureBatch, configRows, splitRows, toFeatureBatch } from './config_dataset.js';
import { buildMlp } from './mlp_model.js';
import type { TrainConfig } from './train_config.js';

export interface TrainFromConfigOptions {
  progress?: ProgressMode;
  progressStream?: ProgressStream;
  signal?: AbortSignal;
  /** Overrides the config's `resume`. */
  resume?: boolean;
}

export interface TrainFromConfigResult {
  history: History;
  classes: number;
  inputs: number;
}

/**
 * Trains the MLP a config describes with `Trainer.fit`: checkpoints in `outputDir`, event files
 * in `outputDir/logs`, validation on the held-out rows each epoch.
 *
 * @example
 * const history = (await trainFromConfig(await loadTrainConfig('iris.json'))).history;
 */
export async function trainFromConfig(
  config: TrainConfig,
  options: TrainFromConfigOptions = {},
): Promise<TrainFromConfigResult> {
  const rows = configRows(config);
  const classes = config.classes ?? (await largestLabel(rows, config.label)) + 1;
  const toBatch = toFeatureBatch(config, Math.max(classes, 2));
  const { train, heldOut } = splitRows(rows, config.heldOutEvery);
  const stats = await featureStatistics(train.batch(1024).map(toBatch) as unknown as Dataset<FeatureBatch>);
  const model = buildMlp({
    inputs: stats.inputs,
    hidden: config.hidden,
    classes: Math.max(classes, 2),
    optimizer: config.optimizer,
    learningRate: config.learningRate,
    seed: config.seed,
    ...(config.standardize ? { standardize: stats } : {}),
  });
  const trainer = new Trainer<FeatureBatch>({
    session: new Session(model.graph, { device: config.device }),
    loss: model.loss,
    optimizer: model.optimizer,
    feeds: (batch) => ({ features: batch.features, labels: batch.labels }),
    metrics: { accuracy: model.accuracy },
  });
  const batches = train
    .shuffle(config.shuffleBuffer, { seed: config.seed })
    .batch(config.batchSize)
    .map(toBatch) as unknown as Dataset<FeatureBatch>;
  try {
    const history = await trainer.fit(batches, {
      epochs: config.epochs,
      ...(heldOut
        ? { validation: { dataset: heldOut.batch(1024).map(toBatch) as unknown as Dataset<FeatureBatch> } }
        : {}),
      checkpointDir: config.outputDir,
      checkpointEvery: config.checkpointEvery,
      logdir: join(config.outputDir, 'logs'),
      resume: options.resume ?? config.resume,
      progress: options.progress ?? 'auto',
      ...(options.progressStream ? { progressStream: options.progressStream } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { history, classes, inputs: stats.inputs };
  } finally {
    trainer.session.close();
  }
}

async function largestLabel(rows: Dataset<Record<string, unknown>>, label: string): Promise<number> {
  let largest = 0;
  for await (const batch of rows.batch(4096) as unknown as Dataset<Record<string, { data: ArrayLike<number> }>>) {
    const values = batch[label]!.data;
    for (let i = 0; i < values.length; i++) if (values[i]! > largest) largest = values[i]!;
  }
  return largest;
}

/** Per-feature mean and deviation of the training rows (a deviation of 0 becomes 1). */
async function featureStatistics(
  batches: Dataset<FeatureBatch>,
): Promise<{ inputs: number; mean: Float32Array; std: Float32Array }> {
  let sums: Float64Array | undefined;
  let squares: Float64Array | undefined;
  let count = 0;
  let inputs = 0;
  for await (const { features } of batches) {
    inputs = features.shape[1]!;
    sums ??= new Float64Array(inputs);
    squares ??= new Float64Array(inputs);
    const data = features.data;
    for (let i = 0; i < data.length; i++) {
      sums[i % inputs]! += data[i]!;
      squares[i % inputs]! += data[i]! * data[i]!;
    }
    count += features.shape[0]!;
  }
  const mean = new Float32Array(inputs);
  const std = new Float32Array(inputs);
  for (let c = 0; c < inputs; c++) {
    mean[c] = sums![c]! / count;
    const variance = squares![c]! / count - mean[c]! * mean[c]!;
    std[c] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { inputs, mean, std };
}
