/** Where a running job stands; reported after each task and printed by the CLI. */
export interface JobProgress {
  readonly job: string;
  readonly tasksDone: number;
  readonly tasksTotal: number;
  /** Rows written by the tasks done so far. */
  readonly rows: number;
  readonly rowsPerSecond: number;
  readonly elapsedSeconds: number;
  /** Per worker: tasks and rows it committed. */
  readonly workers: readonly { readonly worker: string; readonly tasks: number; readonly rows: number }[];
}

/** Accumulates task completions into `JobProgress` snapshots. */
export class ProgressTracker {
  private readonly started = performance.now();
  private tasksDone = 0;
  private rows = 0;
  private readonly perWorker = new Map<string, { tasks: number; rows: number }>();

  constructor(
    private readonly job: string,
    private readonly tasksTotal: number,
    alreadyDone = 0,
  ) {
    this.tasksDone = alreadyDone;
  }

  taskDone(worker: string, rows: number): JobProgress {
    this.tasksDone++;
    this.rows += rows;
    const entry = this.perWorker.get(worker) ?? { tasks: 0, rows: 0 };
    entry.tasks++;
    entry.rows += rows;
    this.perWorker.set(worker, entry);
    return this.snapshot();
  }

  snapshot(): JobProgress {
    const elapsedSeconds = (performance.now() - this.started) / 1000;
    return {
      job: this.job,
      tasksDone: this.tasksDone,
      tasksTotal: this.tasksTotal,
      rows: this.rows,
      rowsPerSecond: elapsedSeconds > 0 ? this.rows / elapsedSeconds : 0,
      elapsedSeconds,
      workers: [...this.perWorker].map(([worker, { tasks, rows }]) => ({ worker, tasks, rows })),
    };
  }
}

/** `12/40 tasks, 1.20M rows, 340k rows/s`. */
export function formatProgress(
  progress: Pick<JobProgress, 'tasksDone' | 'tasksTotal' | 'rows' | 'rowsPerSecond'>,
): string {
  return `${progress.tasksDone}/${progress.tasksTotal} tasks, ${formatCount(progress.rows)} rows, ${formatCount(progress.rowsPerSecond)} rows/s`;
}

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}
