import { startJobWorker } from '../bullmq/job_worker.js';
import type { JobStatusReport } from '../bullmq/job_status.js';
import { jobStatus } from '../bullmq/job_status.js';
import { submitJob } from '../bullmq/submit_job.js';
import { waitForJob } from '../bullmq/wait_for_job.js';
import { formatProgress } from '../progress.js';
import { redactedUrl } from '../redis/redis_connection.js';
import { type JobCommandIO, JobProgressDisplay } from './command_io.js';

/** `tsflow job submit <job.mjs> --redis URL`: prints the job id (alone on stdout, for scripts). */
export async function jobSubmitCommand(
  modulePath: string,
  options: { redis: string; queue?: string },
  io: JobCommandIO,
): Promise<void> {
  const { id, plan } = await submitJob(modulePath, options);
  io.err(`submitted job '${plan.name}': ${plan.tasks.length} tasks, output ${plan.outputDir}`);
  io.out(id);
}

/**
 * `tsflow job worker --redis URL`: runs tasks until SIGINT/SIGTERM (or `signal`), then lets the
 * current tasks finish and exits.
 */
export async function jobWorkerCommand(
  options: {
    redis: string;
    concurrency?: number;
    queue?: string;
    lockMs?: number;
    quiet?: boolean;
    signal?: AbortSignal;
  },
  io: JobCommandIO,
): Promise<void> {
  const worker = await startJobWorker({
    redis: options.redis,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    ...(options.lockMs === undefined ? {} : { lockMs: options.lockMs }),
    onTask: options.quiet
      ? undefined
      : (event) =>
          io.err(
            `[${event.jobName}] task ${event.task}: ${event.rows} rows${event.committed ? '' : ' (already committed by another attempt)'}`,
          ),
  });
  if (!options.quiet)
    io.err(`worker ${worker.name} waiting for tasks on ${redactedUrl(options.redis)} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    options.signal?.addEventListener('abort', stop, { once: true });
  });
  await worker.close();
}

/** `tsflow job status <id> --redis URL`. */
export async function jobStatusCommand(
  id: string,
  options: { redis: string; queue?: string; json?: boolean },
  io: JobCommandIO,
): Promise<void> {
  const status = await jobStatus(id, options);
  if (options.json) {
    io.out(JSON.stringify(status));
    return;
  }
  for (const line of describeStatus(status)) io.out(line);
}

/** `tsflow job wait <id> --redis URL`: progress on stderr; resolves when committed, throws when the job failed. */
export async function jobWaitCommand(
  id: string,
  options: { redis: string; queue?: string; timeoutMs?: number; quiet?: boolean },
  io: JobCommandIO,
): Promise<void> {
  const display = new JobProgressDisplay(options.quiet === true);
  const status = await waitForJob(id, { ...options, onStatus: (current) => display.update(current) }).finally(() =>
    display.stop(),
  );
  io.out(
    `job '${status.job}' (${id}) committed: ${status.tasksTotal} tasks, ${status.rows} rows in ${status.outputDir}`,
  );
}

function describeStatus(status: JobStatusReport): string[] {
  return [
    `job '${status.job}' (${status.id}): ${status.state}, ${formatProgress(status)}`,
    `output: ${status.outputDir}`,
    ...status.workers.map((worker) => `  worker ${worker.worker}: ${worker.tasks} tasks, ${worker.rows} rows`),
    ...(status.error === undefined ? [] : [`error: ${status.error}`]),
  ];
}
