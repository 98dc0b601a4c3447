import { TsflowError } from '@tsflow/core';
import type { JobTask } from './define_job.js';
import { describeTask } from './plan/task_plan.js';

/**
 * A job stopped because one task failed on every attempt (a "poison" task). The message names
 * the job, the task, its file and row group, the attempts and the last error.
 */
export class JobFailedError extends TsflowError {
  constructor(
    readonly job: string,
    readonly task: JobTask,
    readonly attempts: number,
    readonly reason: string,
  ) {
    super(
      `job '${job}' failed: ${describeTask(task)} failed ${attempts} time${attempts === 1 ? '' : 's'}; last error: ${reason}`,
    );
  }
}

/** `Name: message` of anything thrown, for messages that cross process boundaries. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
