import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { InvalidArgumentError } from '@tsflow/core';
import { describe } from '../define_job.js';
import { OutputLayout } from '../commit/output_layout.js';
import { type SuccessManifest, commitJob } from '../commit/job_commit.js';
import { checkPlanRecord, prepareOutput } from '../commit/prepare_output.js';
import { committedRecord } from '../commit/task_attempt.js';
import { loadJob } from '../plan/load_job.js';
import { type Shard, shardTasks } from '../plan/shard.js';
import { type JobPlan, planJob } from '../plan/task_plan.js';
import { type JobProgress, ProgressTracker } from '../progress.js';
import { ProcessPool } from './process_pool.js';

export interface RunJobOptions {
  /** Worker processes (default: the machine's available parallelism). */
  workers?: number;
  /** Run only this share of the tasks and don't commit (Kubernetes Indexed Jobs; finish with `commitJobModule`). */
  shard?: Shard;
  /** Called after every task. */
  onProgress?: (progress: JobProgress) => void;
  /** Resolves relative inputs and output (default: the process's working directory). */
  cwd?: string;
}

export interface RunJobResult {
  readonly plan: JobPlan;
  /** Tasks run now, and tasks found committed by an earlier run and skipped. */
  readonly tasksRun: number;
  readonly tasksSkipped: number;
  readonly rows: number;
  readonly seconds: number;
  /** The `_SUCCESS` manifest (absent for a shard run). */
  readonly manifest?: SuccessManifest;
}

/**
 * `tsflow job run`: runs a job module on worker processes of this machine (no server), then
 * commits it. Tasks already committed by an interrupted earlier run are skipped.
 *
 * @example
 * const { manifest } = await runJob('jobs/normalise.mjs', { workers: 4 });
 */
export async function runJob(modulePath: string, options: RunJobOptions = {}): Promise<RunJobResult> {
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1)
    throw new InvalidArgumentError(`runJob: workers must be a positive integer, got ${describe(options.workers)}`);
  const started = performance.now();
  const job = await loadJob(modulePath, options.cwd);
  const plan = await planJob(job, options.cwd);
  await prepareOutput(plan);
  const layout = new OutputLayout(plan.outputDir, plan.format);
  const selected = options.shard === undefined ? plan.tasks : shardTasks(plan.tasks, options.shard);
  const todo = [];
  for (const task of selected) if ((await committedRecord(layout, task.index)) === undefined) todo.push(task);
  const tracker = new ProgressTracker(job.name, selected.length, selected.length - todo.length);
  let rows = 0;
  await new ProcessPool({
    jobName: job.name,
    modulePath: resolve(options.cwd ?? process.cwd(), modulePath),
    target: plan,
    workers,
    maxAttempts: plan.maxAttempts,
    onTaskDone: (done) => {
      rows += done.rows;
      const progress = tracker.taskDone(`process ${done.worker}`, done.rows);
      options.onProgress?.(progress);
    },
  }).run(todo);
  const manifest =
    options.shard === undefined
      ? await commitJob({
          name: plan.name,
          outputDir: plan.outputDir,
          format: plan.format,
          taskCount: plan.tasks.length,
        })
      : undefined;
  return {
    plan,
    tasksRun: todo.length,
    tasksSkipped: selected.length - todo.length,
    rows,
    seconds: (performance.now() - started) / 1000,
    ...(manifest === undefined ? {} : { manifest }),
  };
}

/**
 * `tsflow job commit`: plans the job again (the same task list every index computed) and writes
 * `_SUCCESS` once every part is there; fails naming the missing tasks otherwise.
 */
export async function commitJobModule(modulePath: string, options: { cwd?: string } = {}): Promise<SuccessManifest> {
  const job = await loadJob(modulePath, options.cwd);
  const plan = await planJob(job, options.cwd);
  await checkPlanRecord(plan);
  return commitJob({ name: plan.name, outputDir: plan.outputDir, format: plan.format, taskCount: plan.tasks.length });
}
