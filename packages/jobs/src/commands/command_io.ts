import { type ProgressReporter, createProgress } from '@tsflow/data';
import type { JobProgress } from '../progress.js';

/** Where the `tsflow job` commands write (the CLI's io): stdout lines and stderr lines. */
export interface JobCommandIO {
  out(line: string): void;
  err(line: string): void;
}

/**
 * The project's progress display (a bar on a terminal, throttled lines elsewhere, on stderr)
 * fed with a job's progress: tasks done of total, rows and rows/s.
 */
export class JobProgressDisplay {
  private reporter?: ProgressReporter;

  constructor(private readonly quiet: boolean) {}

  update(progress: Pick<JobProgress, 'job' | 'tasksDone' | 'tasksTotal' | 'rows'>): void {
    this.reporter ??= createProgress({
      mode: this.quiet ? false : 'auto',
      label: `job ${progress.job}`,
      total: progress.tasksTotal,
      unit: 'tasks',
      rateUnit: 'rows',
      intervalSeconds: 5,
    });
    this.reporter.update(progress.tasksDone, { rows: progress.rows }, progress.rows);
  }

  stop(): void {
    this.reporter?.stop();
  }
}
