import { InvalidArgumentError } from '@tsflow/core';
import type { JobTask } from '../define_job.js';

/** One share of a job's tasks: `index` of `count` (a Kubernetes Indexed Job's completion index). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `--shard i/n`. */
export function parseShard(spec: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (match === null) throw new InvalidArgumentError(`--shard must be <index>/<count> (e.g. 0/4), got '${spec}'`);
  return checkShard(Number(match[1]), Number(match[2]), `--shard ${spec}`);
}

/** The shard of a Kubernetes Indexed Job pod: `JOB_COMPLETION_INDEX` of `--shards n`. */
export function shardFromEnvironment(count: number, env: NodeJS.ProcessEnv = process.env): Shard {
  const raw = env['JOB_COMPLETION_INDEX'];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) {
    throw new InvalidArgumentError(
      `--shards needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job) to be a non-negative integer, got ${raw === undefined ? 'nothing' : `'${raw}'`}; outside Kubernetes use --shard <index>/<count>`,
    );
  }
  return checkShard(Number(raw), count, `JOB_COMPLETION_INDEX=${raw} with --shards ${count}`);
}

function checkShard(index: number, count: number, what: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new InvalidArgumentError(`${what}: the shard count must be a positive integer`);
  if (!Number.isSafeInteger(index) || index >= count)
    throw new InvalidArgumentError(`${what}: the shard index must be in 0..${count - 1}`);
  return { index, count };
}

/** The tasks of one shard: every `count`-th task from `index`, so shares differ by one task at most. */
export function shardTasks(tasks: readonly JobTask[], shard: Shard): JobTask[] {
  return tasks.filter((task) => task.index % shard.count === shard.index);
}
