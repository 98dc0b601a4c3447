import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JobTask } from '../define_job.js';
import type { AttemptTarget } from '../commit/task_attempt.js';
import { JobFailedError } from '../job_failed_error.js';

/** The BullMQ queue tsflow jobs use unless told otherwise. */
export const DEFAULT_QUEUE = 'tsflow-jobs';

/** How long a finished job's records stay in Redis (a week). */
export const RECORDS_TTL_SECONDS = 7 * 24 * 3600;

/** Data of one task's BullMQ job. */
export interface TaskJobData {
  readonly jobId: string;
  readonly jobName: string;
  readonly modulePath: string;
  readonly target: AttemptTarget;
  readonly task: JobTask;
}

/** The task that failed a job on its last attempt, as recorded in Redis. */
export interface TaskFailure {
  readonly job: string;
  readonly task: JobTask;
  readonly attempts: number;
  /** The last attempt's error (`Name: message`). */
  readonly reason: string;
}

/** A recorded failure read back, or undefined when the field is absent or not one. */
export function parseTaskFailure(text: string | undefined): TaskFailure | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<TaskFailure>;
    const valid =
      typeof value.job === 'string' &&
      typeof value.task?.index === 'number' &&
      typeof value.task.file === 'string' &&
      typeof value.attempts === 'number' &&
      typeof value.reason === 'string';
    return valid ? (value as TaskFailure) : undefined;
  } catch {
    return undefined;
  }
}

/** Data of a job's commit step (the parent of its tasks in a BullMQ flow). */
export interface CommitJobData {
  readonly jobId: string;
  readonly jobName: string;
  readonly outputDir: string;
  readonly format: 'parquet' | 'arrow';
  readonly taskCount: number;
}

/** A fresh job id: the job's name and a unique suffix (BullMQ ids may not contain ':'). */
export function newJobId(name: string): string {
  return `${name}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** The BullMQ id of a job's task. */
export function taskJobId(jobId: string, index: number): string {
  return `${jobId}-t${index}`;
}

/**
 * What tsflow keeps about a job in Redis beside BullMQ's own records: its description, the
 * set of committed tasks and counters for progress (total and per worker).
 */
export class JobRecords {
  constructor(
    private readonly redis: Redis,
    private readonly queue: string,
    private readonly jobId: string,
  ) {}

  private key(suffix: string): string {
    return `tsflow:{${this.queue}}:job:${this.jobId}:${suffix}`;
  }

  async create(fields: { name: string; tasks: number; outputDir: string; modulePath: string }): Promise<void> {
    await this.redis.hset(this.key('meta'), { ...fields, submittedAt: Date.now() });
  }

  async meta(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.key('meta'));
  }

  async taskStarted(): Promise<void> {
    await this.redis.hsetnx(this.key('meta'), 'startedAt', Date.now());
  }

  /** Counts a committed task once, however many attempts report it. */
  async taskCommitted(index: number, rows: number, worker: string): Promise<void> {
    const added = await this.redis.sadd(this.key('done'), String(index));
    if (added === 0) return;
    await this.redis
      .multi()
      .hincrby(this.key('meta'), 'rows', rows)
      .hincrby(this.key('workers'), `${worker}\ttasks`, 1)
      .hincrby(this.key('workers'), `${worker}\trows`, rows)
      .exec();
  }

  async tasksDone(): Promise<number> {
    return this.redis.scard(this.key('done'));
  }

  async workers(): Promise<{ worker: string; tasks: number; rows: number }[]> {
    const counters = await this.redis.hgetall(this.key('workers'));
    const byWorker = new Map<string, { worker: string; tasks: number; rows: number }>();
    for (const [field, value] of Object.entries(counters)) {
      const [worker, counter] = field.split('\t') as [string, 'tasks' | 'rows'];
      const entry = byWorker.get(worker) ?? { worker, tasks: 0, rows: 0 };
      entry[counter] = Number(value);
      byWorker.set(worker, entry);
    }
    return [...byWorker.values()].sort((a, b) => a.worker.localeCompare(b.worker));
  }

  /**
   * Records the poison task that failed the job (the first one wins): its message, and the task,
   * attempts and last error as JSON, from which `waitForJob` rebuilds a JobFailedError.
   */
  async taskFailed(failure: TaskFailure): Promise<void> {
    const message = new JobFailedError(failure.job, failure.task, failure.attempts, failure.reason).message;
    // One transaction: a concurrent poison task can't pair its message with this one's record.
    await this.redis
      .multi()
      .hsetnx(this.key('meta'), 'error', message)
      .hsetnx(this.key('meta'), 'failure', JSON.stringify(failure))
      .exec();
    await this.expire();
  }

  async finished(rows: number): Promise<void> {
    await this.redis.hset(this.key('meta'), { finishedAt: Date.now(), committedRows: rows });
    await this.expire();
  }

  private async expire(): Promise<void> {
    const batch = this.redis.multi();
    for (const suffix of ['meta', 'done', 'workers']) batch.expire(this.key(suffix), RECORDS_TTL_SECONDS);
    await batch.exec();
  }
}
