import { join } from 'node:path';

/** Names of everything a job writes in its output folder (the Hadoop/Spark committer layout). */
export const TEMPORARY_DIR = '_temporary';
export const SUCCESS_FILE = '_SUCCESS';

/** `part-00042.parquet`: the file a task commits to (index padded to 5 digits). */
export function partFileName(index: number, format: 'parquet' | 'arrow'): string {
  return `part-${String(index).padStart(5, '0')}.${format}`;
}

/** Paths inside one job's output folder. */
export class OutputLayout {
  constructor(
    readonly dir: string,
    readonly format: 'parquet' | 'arrow',
  ) {}

  get temporaryDir(): string {
    return join(this.dir, TEMPORARY_DIR);
  }

  get successPath(): string {
    return join(this.dir, SUCCESS_FILE);
  }

  /** The plan record: guards an output folder against parts of a different job. */
  get planPath(): string {
    return join(this.temporaryDir, 'plan.json');
  }

  partPath(index: number): string {
    return join(this.dir, partFileName(index, this.format));
  }

  /** Where one attempt of a task writes before it commits; unique per attempt. */
  attemptDir(index: number, attemptId: string): string {
    return join(this.temporaryDir, `attempt-${String(index).padStart(5, '0')}-${attemptId}`);
  }

  /** What an attempt records about its output (rows, or that the task wrote no rows). */
  taskRecordPath(index: number): string {
    return join(this.temporaryDir, 'tasks', `${String(index).padStart(5, '0')}.json`);
  }
}
