import { commitJobModule, runJob } from '../embedded/run_job.js';
import type { Shard } from '../plan/shard.js';
import { type JobCommandIO, JobProgressDisplay } from './command_io.js';

export interface JobRunCommandOptions {
  workers?: number;
  shard?: Shard;
  quiet?: boolean;
}

/**
 * `tsflow job run <job.mjs>`: runs the job on worker processes of this machine and prints a
 * summary line (progress lines go to stderr unless `quiet`).
 */
export async function jobRunCommand(
  modulePath: string,
  options: JobRunCommandOptions,
  io: JobCommandIO,
): Promise<void> {
  const { shard } = options;
  const display = new JobProgressDisplay(options.quiet === true);
  const result = await runJob(modulePath, {
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(shard === undefined ? {} : { shard }),
    onProgress: (progress) => display.update(progress),
  }).finally(() => display.stop());
  const rate = result.seconds > 0 ? Math.round(result.rows / result.seconds) : 0;
  const skipped = result.tasksSkipped > 0 ? `, ${result.tasksSkipped} already committed` : '';
  const ran = `${result.tasksRun} tasks run${skipped}, ${result.rows} rows in ${result.seconds.toFixed(2)} s (${rate} rows/s)`;
  if (result.manifest === undefined) {
    io.out(
      `job '${result.plan.name}' shard ${shard!.index}/${shard!.count}: ${ran}; run 'tsflow job commit ${modulePath}' once every shard is done`,
    );
  } else {
    io.out(
      `job '${result.plan.name}' committed ${result.manifest.parts.length} parts, ${result.manifest.rows} rows to ${result.plan.outputDir}: ${ran}`,
    );
  }
}

/** `tsflow job commit <job.mjs>`: writes `_SUCCESS` once every part is there. */
export async function jobCommitCommand(modulePath: string, io: JobCommandIO): Promise<void> {
  const manifest = await commitJobModule(modulePath);
  io.out(
    `job '${manifest.job}' committed: ${manifest.parts.length} parts, ${manifest.rows} rows (${manifest.tasks} tasks)`,
  );
}
