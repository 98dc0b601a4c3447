import { type JobProgress, formatProgress } from '../progress.js';
import type { JobCliIO } from './cli_args.js';

/** Prints progress lines to stderr at most once per `intervalMs` (and always the last task). */
export function progressPrinter(io: JobCliIO, quiet: boolean, intervalMs = 1000): (progress: JobProgress) => void {
  let last = 0;
  return (progress) => {
    if (quiet) return;
    const now = performance.now();
    if (now - last < intervalMs && progress.tasksDone < progress.tasksTotal) return;
    last = now;
    io.err(`[${progress.job}] ${formatProgress(progress)}`);
  };
}
