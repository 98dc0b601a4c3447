import {
  type Shard,
  checkRedisUrl,
  jobCommitCommand,
  jobRunCommand,
  jobStatusCommand,
  jobSubmitCommand,
  jobWaitCommand,
  jobWorkerCommand,
  parseShard,
  shardFromEnvironment,
} from '@tsflow/jobs';
import type { Command } from 'commander';
import { type CliIO, UsageError, positiveInt } from '../cli_io.js';

interface RedisOptions {
  redis: string;
  queue?: string;
}

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
Every Parquet row group is a task; parts are committed exactly once (part-NNNNN + _SUCCESS).

Three ways to run it:
  tsflow job run job.mjs --workers 4                  worker processes on this machine (no server)
  tsflow job submit job.mjs --redis redis://h:6379    tasks on Redis (BullMQ); then on any machines:
  tsflow job worker --redis redis://h:6379            and: tsflow job wait <id> --redis ...
  tsflow job run job.mjs --shards 4                   one Kubernetes Indexed Job pod (JOB_COMPLETION_INDEX);
                                                      then: tsflow job commit job.mjs`;

/** `tsflow job <command>`: batch jobs; the work is done by @tsflow/jobs, this file maps flags. */
export function registerJob(program: Command, io: CliIO): void {
  const job = program
    .command('job')
    .description(
      'run batch jobs on worker processes, on Redis (BullMQ) or as a Kubernetes Indexed Job, with an exactly-once output',
    )
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
      await jobRunCommand(
        module,
        {
          ...(workers === undefined ? {} : { workers }),
          ...(shard === undefined ? {} : { shard }),
          quiet: options.quiet === true,
        },
        io,
      );
    });
  job
    .command('commit')
    .description('write <output.dir>/_SUCCESS once every task has its part (after all shards ran)')
    .argument('<job.mjs>', 'the job module')
    .action((module: string) => jobCommitCommand(module, io));
  job
    .command('submit')
    .description('enqueue the tasks on Redis through BullMQ (for tsflow job worker) and print the job id')
    .argument('<job.mjs>', 'the job module (at the same path on every worker)')
    .requiredOption('--redis <url>', 'the Redis the workers use, e.g. redis://queue:6379')
    .option('--queue <name>', 'BullMQ queue (default tsflow-jobs)')
    .action((module: string, options: RedisOptions) => jobSubmitCommand(module, { ...redisOf(options) }, io));
  job
    .command('worker')
    .description('run tasks of submitted jobs from Redis until SIGINT/SIGTERM (run one per machine or core)')
    .requiredOption('--redis <url>', 'the Redis the jobs were submitted to')
    .option('--concurrency <n>', 'tasks this process runs at once (default 1)')
    .option('--queue <name>', 'BullMQ queue (default tsflow-jobs)')
    .option('--lock-ms <ms>', "a dead worker's task goes to another after about this long (default 30000)")
    .option('--quiet', 'no line per task on stderr')
    .action(async (options: RedisOptions & { concurrency?: string; lockMs?: string; quiet?: boolean }) => {
      const concurrency = positiveInt(options.concurrency, '--concurrency', 1);
      const lockMs = positiveInt(options.lockMs, '--lock-ms', 30_000);
      await jobWorkerCommand({ ...redisOf(options), concurrency, lockMs, quiet: options.quiet === true }, io);
    });
  job
    .command('status')
    .description("a submitted job's state and progress: tasks done/total, rows, rows/s, per worker")
    .argument('<id>', 'the job id printed by submit')
    .requiredOption('--redis <url>', 'the Redis the job was submitted to')
    .option('--queue <name>', 'BullMQ queue (default tsflow-jobs)')
    .option('--json', 'print the status as one JSON object')
    .action((id: string, options: RedisOptions & { json?: boolean }) =>
      jobStatusCommand(id, { ...redisOf(options), json: options.json === true }, io),
    );
  job
    .command('wait')
    .description('wait for a submitted job: exit 0 once _SUCCESS is written, 1 when the job failed')
    .addHelpText(
      'after',
      `
Exit status:
  0  the job is committed (_SUCCESS written)
  1  the job failed: a JobFailedError naming the task, its file and row group, the attempts and
     the last error (one line on stderr); also a --timeout or an unreachable Redis
  2  a usage error`,
    )
    .argument('<id>', 'the job id printed by submit')
    .requiredOption('--redis <url>', 'the Redis the job was submitted to')
    .option('--queue <name>', 'BullMQ queue (default tsflow-jobs)')
    .option('--timeout <seconds>', 'give up (exit 1) after this long')
    .option('--quiet', 'no progress lines on stderr')
    .action(async (id: string, options: RedisOptions & { timeout?: string; quiet?: boolean }) => {
      const timeout = options.timeout === undefined ? undefined : positiveInt(options.timeout, '--timeout', 1) * 1000;
      await jobWaitCommand(
        id,
        {
          ...redisOf(options),
          ...(timeout === undefined ? {} : { timeoutMs: timeout }),
          quiet: options.quiet === true,
        },
        io,
      );
    });
}

/** The Redis URL and queue flags, the URL checked as a usage error. */
function redisOf(options: RedisOptions): { redis: string; queue?: string } {
  try {
    checkRedisUrl(options.redis, '--redis');
  } catch {
    throw new UsageError(`--redis must be a Redis URL like redis://host:6379, got '${options.redis}'`);
  }
  return { redis: options.redis, ...(options.queue === undefined ? {} : { queue: options.queue }) };
}

function shardOf(options: RunOptions): Shard | undefined {
  if (options.shard !== undefined && options.shards !== undefined)
    throw new UsageError('use either --shard i/n or --shards n (with JOB_COMPLETION_INDEX), not both');
  try {
    if (options.shard !== undefined) return parseShard(options.shard);
    if (options.shards !== undefined) return shardFromEnvironment(positiveInt(options.shards, '--shards', 1));
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
  return undefined;
}
