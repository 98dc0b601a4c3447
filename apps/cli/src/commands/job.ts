import { type Shard, jobCommitCommand, jobRunCommand, parseShard, shardFromEnvironment } from '@tsflow/jobs';
import type { Command } from 'commander';
import { type CliIO, UsageError, positiveInt } from '../cli_io.js';

interface RunOptions {
  workers?: string;
  shard?: string;
  shards?: string;
  quiet?: boolean;
}

const JOB_HELP = `
A job module exports its definition (@tsflow/jobs):
  export default defineJob({ name: 'normalise', inputs: 'data/*.parquet', output: { dir: 'out' },
    pipeline: (ds) => ds.map((row) => ({ ...row, x: (row.x - 5) / 2 })) });
Every Parquet row group is a task; parts are committed exactly once (part-NNNNN + _SUCCESS).`;

/** `tsflow job <command>`: batch jobs; the work is done by @tsflow/jobs, this file maps flags. */
export function registerJob(program: Command, io: CliIO): void {
  const job = program
    .command('job')
    .description('run batch jobs over worker processes or Kubernetes Indexed Jobs, with an exactly-once output')
    .addHelpText('after', JOB_HELP);
  job
    .command('run')
    .description('run a job on N worker processes of this machine (no server), then write _SUCCESS')
    .argument('<job.mjs>', 'the job module')
    .option('--workers <n>', 'worker processes (default: one per core)')
    .option('--shard <i/n>', "run only share i of n (0-based) and don't commit: one index of a Kubernetes Indexed Job")
    .option('--shards <n>', 'like --shard, with i taken from JOB_COMPLETION_INDEX (set by Kubernetes)')
    .option('--quiet', 'no progress lines on stderr')
    .action(async (module: string, options: RunOptions) => {
      const workers = options.workers === undefined ? undefined : positiveInt(options.workers, '--workers', 1);
      const shard = shardOf(options);
      await jobRunCommand(module, { ...(workers === undefined ? {} : { workers }), ...(shard === undefined ? {} : { shard }), quiet: options.quiet === true }, io);
    });
  job
    .command('commit')
    .description('write <output.dir>/_SUCCESS once every task has its part (after all shards ran)')
    .argument('<job.mjs>', 'the job module')
    .action((module: string) => jobCommitCommand(module, io));
}

function shardOf(options: RunOptions): Shard | undefined {
  if (options.shard !== undefined && options.shards !== undefined) throw new UsageError('use either --shard i/n or --shards n (with JOB_COMPLETION_INDEX), not both');
  try {
    if (options.shard !== undefined) return parseShard(options.shard);
    if (options.shards !== undefined) return shardFromEnvironment(positiveInt(options.shards, '--shards', 1));
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
  return undefined;
}
