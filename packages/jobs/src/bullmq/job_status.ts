import { Job, Queue } from 'bullmq';
import { NotFoundError } from '@tsflow/core';
import { checkRedisUrl, openRedis, redactedUrl, requireRedis } from '../redis/redis_connection.js';
import { JobFailedError } from '../job_failed_error.js';
import {
  DEFAULT_QUEUE,
  JobRecords,
  type TaskFailure,
  type TaskJobData,
  parseTaskFailure,
  taskJobId,
} from './job_records.js';

/** Where a submitted job stands (`tsflow job status`). */
export interface JobStatusReport {
  readonly id: string;
  readonly job: string;
  /** `running` until every task is done, `committing` while `_SUCCESS` is written, then `completed` or `failed`. */
  readonly state: 'running' | 'committing' | 'completed' | 'failed';
  readonly tasksDone: number;
  readonly tasksTotal: number;
  readonly rows: number;
  readonly rowsPerSecond: number;
  readonly outputDir: string;
  readonly workers: readonly { worker: string; tasks: number; rows: number }[];
  /** Why the job failed: the task, its file and row group, attempts and the last error. */
  readonly error?: string;
  /** The same as data, when a task failed the job (absent when e.g. the commit step failed). */
  readonly failure?: TaskFailure;
}

export interface JobStatusOptions {
  redis: string;
  queue?: string;
}

/** Reads a submitted job's state and progress from Redis. */
export async function jobStatus(id: string, options: JobStatusOptions): Promise<JobStatusReport> {
  const url = checkRedisUrl(options.redis, 'jobStatus: redis');
  await requireRedis(url);
  const redis = openRedis(url);
  const queue = new Queue(options.queue ?? DEFAULT_QUEUE, { connection: redis });
  queue.on('error', () => undefined); // connection errors: the client reconnects
  try {
    return await readStatus(queue, new JobRecords(redis, queue.name, id), id, url);
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/** @internal shared with `waitForJob`, which polls on one connection. */
export async function readStatus(queue: Queue, records: JobRecords, id: string, url: string): Promise<JobStatusReport> {
  const meta = await records.meta();
  const parent = await Job.fromId(queue, id);
  if (parent === undefined || meta['name'] === undefined) {
    throw new NotFoundError(
      `no job '${id}' in queue '${queue.name}' on ${redactedUrl(url)} (job ids are printed by tsflow job submit)`,
    );
  }
  const bullState = await parent.getState();
  const state =
    bullState === 'completed'
      ? 'completed'
      : bullState === 'failed'
        ? 'failed'
        : bullState === 'waiting-children'
          ? 'running'
          : 'committing';
  const tasksTotal = Number(meta['tasks']);
  const rows = Number(meta['rows'] ?? 0);
  const startedAt = Number(meta['startedAt'] ?? Date.now());
  const endedAt = Number(meta['finishedAt'] ?? Date.now());
  const seconds = (endedAt - startedAt) / 1000;
  const failure =
    state === 'failed' ? (parseTaskFailure(meta['failure']) ?? (await failedChild(queue, id, tasksTotal))) : undefined;
  const fromFailure =
    failure && new JobFailedError(failure.job, failure.task, failure.attempts, failure.reason).message;
  const error = state === 'failed' ? (meta['error'] ?? fromFailure ?? parent.failedReason) : undefined;
  return {
    id,
    job: meta['name'],
    state,
    tasksDone: await records.tasksDone(),
    tasksTotal,
    rows,
    rowsPerSecond: seconds > 0 ? rows / seconds : 0,
    outputDir: meta['outputDir'] ?? '',
    workers: await records.workers(),
    ...(error === undefined ? {} : { error }),
    ...(failure === undefined ? {} : { failure }),
  };
}

/** A failure that never reached our records (a task that stalled too often): BullMQ's reason. */
async function failedChild(queue: Queue, id: string, tasks: number): Promise<TaskFailure | undefined> {
  for (let index = 0; index < tasks; index++) {
    const child = (await Job.fromId(queue, taskJobId(id, index))) as Job<TaskJobData> | undefined;
    if (child !== undefined && (await child.getState()) === 'failed') {
      return {
        job: child.data.jobName,
        task: child.data.task,
        attempts: child.attemptsMade,
        reason: child.failedReason,
      };
    }
  }
  return undefined;
}
