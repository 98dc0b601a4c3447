import { hostname } from 'node:os';
import { Job, Queue, Worker } from 'bullmq';
import { InvalidArgumentError } from '@tsflow/core';
import { commitJob } from '../commit/job_commit.js';
import { newAttemptId, runTaskAttempt } from '../commit/task_attempt.js';
import { describe } from '../define_job.js';
import { errorText } from '../job_failed_error.js';
import { loadJob } from '../plan/load_job.js';
import { describeTask } from '../plan/task_plan.js';
import { checkRedisUrl, openRedis, requireRedis } from '../redis/redis_connection.js';
import { type CommitJobData, DEFAULT_QUEUE, JobRecords, type TaskJobData } from './job_records.js';

export interface JobWorkerOptions {
  redis: string;
  /** Tasks this process runs at once (default 1; run one worker process per core). */
  concurrency?: number;
  queue?: string;
  /** Names this worker in progress (default `<host>-<pid>`). */
  name?: string;
  /**
   * How long a task's lock lasts without renewal (default 30000 ms): a worker that dies holding
   * a task gives it back after about this long (BullMQ's stalled-job check).
   */
  lockMs?: number;
  /** Called after each task this worker finished. */
  onTask?: (event: { jobName: string; task: number; rows: number; committed: boolean }) => void;
}

/** A running worker: `close()` lets its current tasks finish, then disconnects. */
export interface JobWorker {
  readonly name: string;
  close(): Promise<void>;
}

/**
 * `tsflow job worker`: pulls tasks of submitted jobs from Redis through BullMQ and runs them
 * with the same commit protocol as every mode; also runs a job's commit step when its last task
 * is done. Fails at once, with one line, when Redis can't be reached.
 */
export async function startJobWorker(options: JobWorkerOptions): Promise<JobWorker> {
  const url = checkRedisUrl(options.redis, 'startJobWorker: redis');
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new InvalidArgumentError(
      `tsflow job worker: concurrency must be a positive integer, got ${describe(options.concurrency)}`,
    );
  const lockMs = options.lockMs ?? 30_000;
  if (!Number.isInteger(lockMs) || lockMs < 100)
    throw new InvalidArgumentError(
      `tsflow job worker: lockMs must be an integer >= 100, got ${describe(options.lockMs)}`,
    );
  await requireRedis(url);
  const queueName = options.queue ?? DEFAULT_QUEUE;
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const redis = openRedis(url);
  const queue = new Queue(queueName, { connection: redis });
  queue.on('error', () => undefined); // connection errors: the client reconnects
  const processor = async (job: Job) => {
    if (job.name === 'commit')
      return runCommit(job as Job<CommitJobData>, new JobRecords(redis, queueName, (job.data as CommitJobData).jobId));
    const done = await runTask(
      job as Job<TaskJobData>,
      new JobRecords(redis, queueName, (job.data as TaskJobData).jobId),
      name,
      options.onTask,
    );
    await reportToParent(
      queue,
      job as Job<TaskJobData>,
      new JobRecords(redis, queueName, (job.data as TaskJobData).jobId),
    );
    return done;
  };
  const worker = new Worker(queueName, processor, {
    connection: redis,
    concurrency,
    name,
    lockDuration: lockMs,
    stalledInterval: Math.max(50, Math.floor(lockMs / 2)),
    // A busy machine may miss a lock renewal: a false stall costs a duplicate attempt (which
    // the commit protocol discards), never the job, so allow many before failing a task.
    maxStalledCount: 10,
  });
  worker.on('error', () => undefined); // connection errors: ioredis reconnects
  return {
    name,
    close: async () => {
      await worker.close();
      await queue.close();
      redis.disconnect();
    },
  };
}

async function runTask(
  job: Job<TaskJobData>,
  records: JobRecords,
  worker: string,
  onTask: JobWorkerOptions['onTask'],
): Promise<{ rows: number; committed: boolean }> {
  const { modulePath, target, task, jobName } = job.data;
  await records.taskStarted();
  try {
    const outcome = await runTaskAttempt(await loadJob(modulePath), target, task, newAttemptId());
    await records.taskCommitted(task.index, outcome.rows, worker);
    await job.updateProgress({ rows: outcome.rows, worker });
    onTask?.({ jobName, task: task.index, rows: outcome.rows, committed: outcome.committed });
    return { rows: outcome.rows, committed: outcome.committed };
  } catch (error) {
    const message = `${describeTask(task)}: ${errorText(error)}`;
    const attempts = job.attemptsMade + 1;
    if (attempts >= (job.opts.attempts ?? 1)) {
      await records.taskFailed({ job: jobName, task, attempts, reason: errorText(error) });
    }
    throw new Error(message);
  }
}

/** The job's progress as BullMQ progress of its parent job (what BullMQ dashboards show). */
async function reportToParent(queue: Queue, job: Job<TaskJobData>, records: JobRecords): Promise<void> {
  const parent = await Job.fromId(queue, job.data.jobId);
  const meta = await records.meta();
  await parent?.updateProgress({
    tasksDone: await records.tasksDone(),
    tasksTotal: Number(meta['tasks']),
    rows: Number(meta['rows'] ?? 0),
  });
}

async function runCommit(job: Job<CommitJobData>, records: JobRecords): Promise<{ parts: number; rows: number }> {
  const { jobName, outputDir, format, taskCount } = job.data;
  const manifest = await commitJob({ name: jobName, outputDir, format, taskCount });
  await records.finished(manifest.rows);
  return { parts: manifest.parts.length, rows: manifest.rows };
}
