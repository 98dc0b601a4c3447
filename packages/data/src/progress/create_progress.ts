import { InvalidArgumentError } from '@tsflow/core';
import { BarProgress } from './bar_progress.js';
import { LineProgress, SilentProgress } from './line_progress.js';
import {
  type ProgressOptions,
  type ProgressReporter,
  ProgressState,
  resolveProgressMode,
} from './progress_reporter.js';

/**
 * The project's one progress display (the Trainer, sinks, `count`/`forEach`, the CLI): a bar
 * with counts, fields, rate and ETA on a TTY; on CI or a file, one plain line every
 * `intervalSeconds` and one when the task ends; nothing for `mode: false`.
 *
 * @example
 * const progress = createProgress({ label: 'epoch 1/5', total: 23, unit: 'steps', rateUnit: 'examples' });
 * for (...) progress.update(step, { loss }, examplesSeen);
 * progress.stop({ val_loss: 0.12 });
 */
export function createProgress(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const mode = resolveProgressMode(options.mode ?? 'auto', stream);
  if (mode === 'silent') return new SilentProgress();
  const intervalSeconds = options.intervalSeconds ?? 10;
  if (!(Number.isFinite(intervalSeconds) && intervalSeconds >= 0)) {
    throw new InvalidArgumentError(`progress: intervalSeconds must be a non-negative number, got ${intervalSeconds}`);
  }
  const state = new ProgressState(stream, options);
  return mode === 'bar' ? new BarProgress(state) : new LineProgress(state, intervalSeconds * 1000);
}
