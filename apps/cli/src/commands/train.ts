import type { SessionDevice } from '@tsflow/core';
import type { Command } from 'commander';
import { type CliIO, UsageError, nonNegativeInt, oneOf, positiveInt, positiveNumber } from '../cli_io.js';

interface TrainOptions {
  epochs?: string;
  batchSize?: string;
  hidden?: string;
  learningRate?: string;
  seed?: string;
  device?: string;
  data?: string;
}

/** `tsflow train digits [...]`: trains the example MLP and prints per-epoch loss and accuracy. */
export function registerTrain(program: Command, io: CliIO): void {
  program
    .command('train')
    .description('train the example MLP on the digits fixture (or --data) and print per-epoch loss and accuracy')
    .argument('<model>', 'the model to train: digits')
    .option('--epochs <n>', 'passes over the training data (default 15)')
    .option('--batch-size <n>', 'examples per step (default 64)')
    .option('--hidden <n>', 'hidden units (default 64)')
    .option('--learning-rate <x>', 'learning rate (default 0.01)')
    .option('--seed <n>', 'random seed for initialization and shuffling (default 42)')
    .option('--device <device>', 'cpu, gpu or auto (default cpu)')
    .option('--data <file.parquet>', 'a Parquet file with pixels and label columns (default: the digits fixture)')
    .action(async (model: string, options: TrainOptions) => {
      if (model !== 'digits') throw new UsageError(`unknown model '${model}': available models are: digits`);
      // Loaded on use: the examples package pulls in the whole training stack (~1.5 s).
      const { trainDigitsMlp } = await import('@tsflow/examples');
      const result = await trainDigitsMlp({
        device: oneOf<SessionDevice>(options.device, '--device', ['cpu', 'gpu', 'auto'], 'cpu'),
        epochs: positiveInt(options.epochs, '--epochs', 15),
        batchSize: positiveInt(options.batchSize, '--batch-size', 64),
        hiddenUnits: positiveInt(options.hidden, '--hidden', 64),
        learningRate: positiveNumber(options.learningRate, '--learning-rate', 0.01),
        seed: nonNegativeInt(options.seed, '--seed', 42),
        runDir: null,
        progress: false,
        ...(options.data !== undefined ? { dataPath: options.data } : {}),
      });
      for (const e of result.history.epochs) {
        io.out(`epoch ${String(e.epoch + 1).padStart(2)}  loss ${e.loss.toFixed(4)}  test accuracy ${((e.valMetrics?.['accuracy'] ?? 0) * 100).toFixed(1)}%  (${e.seconds.toFixed(2)} s)`);
      }
      io.out(`held-out accuracy ${(result.testAccuracy * 100).toFixed(1)}%, ${result.stepsPerSecond.toFixed(0)} steps/s`);
    });
}
