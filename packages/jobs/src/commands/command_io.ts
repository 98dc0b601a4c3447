import { type JobProgress, formatProgress } from '../progress.js';

/** Where the `tsflow job` commands write (the CLI's io): stdout lines and stderr lines. */
export interface JobCommandIO {
  out(line: string): void;
  err(line: string): void;
}

/** Prints progress lines to stderr at most once per `intervalMs` (and always the last task). */
export function progressPrinter(io: JobCommandIO, quiet: boolean, intervalMs = 1000): (progress: JobProgress) => void {
  let last = 0;
  return (progress) => {
    if (quiet) return;
    const now = performance.now();
    if (now - last < intervalMs && progress.tasksDone < progress.tasksTotal) return;
    last = now;
    io.err(`[${progress.job}] ${formatProgress(progress)}`);
  };
}
