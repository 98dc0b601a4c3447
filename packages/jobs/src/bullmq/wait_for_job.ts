import { Queue } from 'bullmq';
import { FailedPreconditionError } from '@tsflow/core';
import { JobFailedError } from '../job_failed_error.js';
import { checkRedisUrl, openRedis, requireRedis } from '../redis/redis_connection.js';
import { DEFAULT_QUEUE, JobRecords } from './job_records.js';
import { type JobStatusOptions, type JobStatusReport, readStatus } from './job_status.js';

export interface WaitForJobOptions extends JobStatusOptions {
  /** Give up after this long (default: wait as long as it takes). */
  timeoutMs?: number;
  /** How often to look (default 500 ms). */
  pollMs?: number;
  /** Called with each status read. */
  onStatus?: (status: JobStatusReport) => void;
}

/**
 * `tsflow job wait`: resolves with the final status once the job is committed (`_SUCCESS`
 * written); rejects with a JobFailedError (task, file, row group, attempts, last error) when a
 * task failed the job, a FailedPreconditionError when it failed otherwise (its commit step) or
 * when `timeoutMs` passed. Rides out Redis restarts (the connection reconnects).
 */
export async function waitForJob(id: string, options: WaitForJobOptions): Promise<JobStatusReport> {
  const url = checkRedisUrl(options.redis, 'waitForJob: redis');
  await requireRedis(url);
  const redis = openRedis(url);
  const queue = new Queue(options.queue ?? DEFAULT_QUEUE, { connection: redis });
  queue.on('error', () => undefined); // connection errors: the client reconnects
  const records = new JobRecords(redis, queue.name, id);
  const deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  try {
    for (;;) {
      const status = await readStatus(queue, records, id, url);
      options.onStatus?.(status);
      if (status.state === 'completed') return status;
      if (status.state === 'failed') throw failureOf(status);
      if (Date.now() >= deadline) {
        throw new FailedPreconditionError(
          `job '${status.job}' (${id}) is still ${status.state} after ${(options.timeoutMs! / 1000).toFixed(0)} s: ${status.tasksDone}/${status.tasksTotal} tasks done`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    }
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

function failureOf(status: JobStatusReport): Error {
  const { failure } = status;
  if (failure !== undefined) return new JobFailedError(failure.job, failure.task, failure.attempts, failure.reason);
  return new FailedPreconditionError(status.error ?? `job '${status.job}' (${status.id}) failed`);
}
