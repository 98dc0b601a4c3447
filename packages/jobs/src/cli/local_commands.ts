import { commitJobModule, runJob } from '../embedded/run_job.js';
import { type Shard, parseShard, shardFromEnvironment } from '../plan/shard.js';
import { type JobCliIO, UsageError, onePositional, parseFlags, positiveIntFlag } from './cli_args.js';
import { progressPrinter } from './progress_printer.js';

export const RUN_USAGE = `usage: tsflow job run <job.mjs> [--workers N] [--shard I/N | --shards N] [--quiet]

Runs a job on N worker processes of this machine (default: one per core), no server needed,
then writes <output.dir>/_SUCCESS. Tasks committed by an interrupted earlier run are skipped.

  --workers N     worker processes (default: available parallelism)
  --shard I/N     run only share I of N (0-based) and don't commit: one index of a
                  Kubernetes Indexed Job; finish with 'tsflow job commit'
  --shards N      like --shard, with I taken from JOB_COMPLETION_INDEX (set by Kubernetes)
  --quiet         no progress lines on stderr`;

export const COMMIT_USAGE = `usage: tsflow job commit <job.mjs>

Writes <output.dir>/_SUCCESS once every task's part is there (after all shards ran); fails
naming the tasks still missing. Running it again after success prints the same manifest.`;

/** `tsflow job run`. */
export async function runCommand(args: readonly string[], io: JobCliIO): Promise<number> {
  const { positionals, values } = parseFlags(args, { workers: { type: 'string' }, shard: { type: 'string' }, shards: { type: 'string' }, quiet: { type: 'boolean' } });
  if (values['help']) return help(io, RUN_USAGE);
  const module = onePositional(positionals, 'job module', 'run');
  const shard = shardOf(values);
  const workers = positiveIntFlag(values, 'workers', 0) || undefined;
  const result = await runJob(module, {
    ...(workers === undefined ? {} : { workers }),
    ...(shard === undefined ? {} : { shard }),
    onProgress: progressPrinter(io, values['quiet'] === true),
  });
  const rate = result.seconds > 0 ? Math.round(result.rows / result.seconds) : 0;
  const ran = `${result.tasksRun} tasks run${result.tasksSkipped > 0 ? `, ${result.tasksSkipped} already committed` : ''}, ${result.rows} rows in ${result.seconds.toFixed(2)} s (${rate} rows/s)`;
  if (result.manifest === undefined) {
    io.out(`job '${result.plan.name}' shard ${shard!.index}/${shard!.count}: ${ran}; run 'tsflow job commit ${module}' once every shard is done`);
  } else {
    io.out(`job '${result.plan.name}' committed ${result.manifest.parts.length} parts, ${result.manifest.rows} rows to ${result.plan.outputDir}: ${ran}`);
  }
  return 0;
}

/** `tsflow job commit`. */
export async function commitCommand(args: readonly string[], io: JobCliIO): Promise<number> {
  const { positionals, values } = parseFlags(args, {});
  if (values['help']) return help(io, COMMIT_USAGE);
  const manifest = await commitJobModule(onePositional(positionals, 'job module', 'commit'));
  io.out(`job '${manifest.job}' committed: ${manifest.parts.length} parts, ${manifest.rows} rows (${manifest.tasks} tasks)`);
  return 0;
}

function shardOf(values: Record<string, string | boolean | undefined>): Shard | undefined {
  const { shard, shards } = values;
  if (shard !== undefined && shards !== undefined) throw new UsageError('use either --shard I/N or --shards N (with JOB_COMPLETION_INDEX), not both');
  if (typeof shard === 'string') return parseShard(shard);
  if (shards !== undefined) return shardFromEnvironment(positiveIntFlag(values, 'shards', 1));
  return undefined;
}

function help(io: JobCliIO, usage: string): number {
  io.out(usage);
  return 0;
}
