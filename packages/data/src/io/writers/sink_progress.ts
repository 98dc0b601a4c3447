import { createProgress } from '../../progress/create_progress.js';
import type { ProgressMode, ProgressReporter, ProgressStream } from '../../progress/progress_reporter.js';

/** The progress options of the sinks and of `count`/`forEach` (the Trainer's display rules). */
export interface JobProgressOptions {
  /**
   * `'auto'`: an in-place bar on a TTY (rows, rows/s, bytes, ETA when the source's footers give
   * the total), throttled plain lines otherwise; `'bar'`/`'lines'` force one; `false` (default)
   * shows nothing.
   */
  progress?: ProgressMode;
  /** Where progress goes (default `process.stderr`). */
  progressStream?: ProgressStream;
}

/** A progress display counting rows (or `unit`), labelled with the job and its file. @internal */
export function jobProgress(
  label: string,
  options: JobProgressOptions,
  total: number | undefined,
  unit = 'rows',
): ProgressReporter {
  return createProgress({
    mode: options.progress ?? false,
    label,
    unit,
    ...(total !== undefined ? { total } : {}),
    ...(options.progressStream ? { stream: options.progressStream } : {}),
  });
}

/** `812 B`, `3.4 KiB`, `12.0 MiB`, `1.25 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
