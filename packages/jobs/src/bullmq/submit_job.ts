import { resolve } from 'node:path';
import { FlowProducer } from 'bullmq';
import { prepareOutput } from '../commit/prepare_output.js';
import { loadJob } from '../plan/load_job.js';
import { type JobPlan, planJob } from '../plan/task_plan.js';
import { checkRedisUrl, openRedis, requireRedis } from '../redis/redis_connection.js';
import {
  type CommitJobData,
  DEFAULT_QUEUE,
  JobRecords,
  RECORDS_TTL_SECONDS,
  type TaskJobData,
  newJobId,
  taskJobId,
} from './job_records.js';

/** Finished BullMQ jobs are kept a week (for status and wait), then BullMQ removes them. */
const KEEP_FINISHED = { removeOnComplete: { age: RECORDS_TTL_SECONDS }, removeOnFail: { age: RECORDS_TTL_SECONDS } };

export interface SubmitJobOptions {
  /** `redis://host:port` of the Redis that workers use. */
  redis: string;
  /** BullMQ queue (default `tsflow-jobs`). */
  queue?: string;
  /** First retry delay of a failed task in ms, doubling per attempt (default 1000). */
  backoffMs?: number;
  cwd?: string;
}

/**
 * `tsflow job submit`: plans a job and enqueues it on Redis as a BullMQ flow — one BullMQ job
 * per task (retried `maxAttempts` times with exponential backoff; its failure fails the job) under
 * a parent "commit" job that BullMQ releases once every task completed. Workers anywhere run
 * them (`tsflow job worker`). The job module and files must be at the same paths on the workers.
 *
 * @example
 * const { id } = await submitJob('jobs/normalise.mjs', { redis: 'redis://queue:6379' });
 */
export async function submitJob(modulePath: string, options: SubmitJobOptions): Promise<{ id: string; plan: JobPlan }> {
  const url = checkRedisUrl(options.redis, 'submitJob: redis');
  const queueName = options.queue ?? DEFAULT_QUEUE;
  await requireRedis(url);
  const absoluteModule = resolve(options.cwd ?? process.cwd(), modulePath);
  const job = await loadJob(absoluteModule);
  const plan = await planJob(job, options.cwd);
  await prepareOutput(plan);
  const id = newJobId(plan.name);
  const redis = openRedis(url);
  const flows = new FlowProducer({ connection: redis });
  flows.on('error', () => undefined);
  try {
    await new JobRecords(redis, queueName, id).create({
      name: plan.name,
      tasks: plan.tasks.length,
      outputDir: plan.outputDir,
      modulePath: absoluteModule,
    });
    const target = {
      outputDir: plan.outputDir,
      format: plan.format,
      ...(plan.compression === undefined ? {} : { compression: plan.compression }),
    };
    const commit: CommitJobData = {
      jobId: id,
      jobName: plan.name,
      outputDir: plan.outputDir,
      format: plan.format,
      taskCount: plan.tasks.length,
    };
    await flows.add({
      name: 'commit',
      queueName,
      data: commit,
      opts: {
        jobId: id,
        attempts: 3,
        backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
        ...KEEP_FINISHED,
      },
      children: plan.tasks.map((task) => ({
        name: 'task',
        queueName,
        data: { jobId: id, jobName: plan.name, modulePath: absoluteModule, target, task } satisfies TaskJobData,
        opts: {
          jobId: taskJobId(id, task.index),
          attempts: plan.maxAttempts,
          backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
          failParentOnFailure: true,
          ...KEEP_FINISHED,
        },
      })),
    });
  } finally {
    await flows.close();
    redis.disconnect();
  }
  return { id, plan };
}
