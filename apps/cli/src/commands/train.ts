import { relative } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '@tsflow/core';
import type { Command } from 'commander';
import { type CliIO, CommandExit, UsageError } from '../cli_io.js';

interface TrainOptions {
  resume?: boolean;
  quiet?: boolean;
}

/** Exit status after Ctrl-C: the run stopped on request, with a checkpoint to resume from. */
const EXIT_INTERRUPTED = 130;

/** `tsflow train <config.json>`: trains the MLP a config file describes (logic in @tsflow/train). */
export function registerTrain(program: Command, io: CliIO): void {
  program
    .command('train')
    .description(
      'train an MLP classifier described by a JSON config (data, features, label, hidden, optimizer, epochs, batchSize, outputDir, ...); Ctrl-C saves a checkpoint, a second Ctrl-C exits at once',
    )
    .argument('<config.json>', 'the training config (see packages/train/README.md)')
    .option('--resume', 'continue from the latest checkpoint in outputDir')
    .option('--quiet', 'no progress display')
    .action(async (configPath: string, options: TrainOptions) => {
      const { loadTrainConfig, trainFromConfig } = await import('@tsflow/train');
      const config = await loadTrainConfig(configPath).catch((error: unknown) => {
        // A config that names a bad key, column or file: one line, exit 2.
        throw error instanceof InvalidArgumentError || error instanceof NotFoundError
          ? new UsageError(error.message, { showUsage: false })
          : error;
      });
      const controller = new AbortController();
      const onInterrupt = (): void => {
        if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
        io.err('tsflow train: interrupted: saving a checkpoint (Ctrl-C again to exit at once)');
        controller.abort();
      };
      process.on('SIGINT', onInterrupt);
      let result: Awaited<ReturnType<typeof trainFromConfig>>;
      try {
        result = await trainFromConfig(config, {
          signal: controller.signal,
          ...(options.resume ? { resume: true } : {}),
          ...(options.quiet ? { progress: false } : {}),
        });
      } finally {
        process.off('SIGINT', onInterrupt);
      }
      const { history } = result;
      const last = history.epochs.at(-1);
      const accuracy = last?.valMetrics?.['accuracy'];
      const here = (path: string) => relative(process.cwd(), path) || '.';
      io.out(
        `${history.stopReason}: ${history.epochs.length} epochs, ${history.steps} steps, loss ${last?.loss.toFixed(4) ?? '-'}${accuracy === undefined ? '' : `, held-out accuracy ${(accuracy * 100).toFixed(1)}%`}`,
      );
      if (history.checkpoint) io.out(`checkpoint: ${here(history.checkpoint)}`);
      io.out(`logs: ${here(config.outputDir)}/logs (tsflow events ${here(config.outputDir)}/logs)`);
      if (history.stopReason === 'aborted') throw new CommandExit(EXIT_INTERRUPTED);
      if (history.stopReason === 'nonFinite') {
        io.err(`tsflow train: ${history.message ?? 'the loss became NaN or infinite'}`);
        throw new CommandExit(1);
      }
    });
}
