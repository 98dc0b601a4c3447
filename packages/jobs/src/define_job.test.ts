import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '@tsflow/core';
import { type JobSpec, defineJob, isJobDefinition } from './define_job.js';
import { loadJob } from './plan/load_job.js';
import { parseShard, shardFromEnvironment, shardTasks } from './plan/shard.js';
import { tempDir } from './test_support/job_fixtures.js';

const base: JobSpec = { name: 'n', inputs: 'a.parquet', pipeline: (ds) => ds, output: { dir: 'out' } };

describe('defineJob', () => {
  it('fills the defaults and brands the result', () => {
    const job = defineJob(base);
    expect(job).toMatchObject({
      name: 'n',
      split: 'rowGroup',
      maxAttempts: 3,
      output: { dir: 'out', format: 'parquet' },
    });
    expect(isJobDefinition(job)).toBe(true);
    expect(isJobDefinition({ ...job })).toBe(false);
    expect(defineJob(job)).toBe(job);
  });

  it.each([
    [{ name: '' }, /name must be a non-empty string of letters, digits.*got ""/],
    [{ inputs: [] }, /defineJob\('n'\): inputs must be a glob or a non-empty list of file paths, got \[\]/],
    [{ pipeline: 'x' }, /pipeline must be a function \(ds, task\) => Dataset, got "x"/],
    [{ output: { dir: '' } }, /output must be \{ dir: string, format\?, compression\? \}, got \{"dir":""\}/],
    [{ output: { dir: 'o', format: 'csv' } }, /output.format must be 'parquet' or 'arrow', got "csv"/],
    [
      { output: { dir: 'o', format: 'arrow', compression: 'zstd' } },
      /output.compression applies to Parquet output only, not 'arrow'/,
    ],
    [{ split: 'row' }, /split must be 'file' or 'rowGroup', got "row"/],
    [{ maxAttempts: 0 }, /maxAttempts must be a positive integer, got 0/],
  ])('refuses %j', (override, message) => {
    expect(() => defineJob({ ...base, ...override } as never)).toThrow(InvalidArgumentError);
    expect(() => defineJob({ ...base, ...override } as never)).toThrow(message);
  });
});

describe('loadJob', () => {
  it('accepts a plain object default export and names a module without one', async () => {
    const { dir, cleanup } = await tempDir('load');
    try {
      await writeFile(
        join(dir, 'plain.mjs'),
        "export default { name: 'plain', inputs: 'x.parquet', output: { dir: 'o' }, pipeline: (ds) => ds };\n",
      );
      expect((await loadJob(join(dir, 'plain.mjs'))).split).toBe('rowGroup');
      await writeFile(join(dir, 'none.mjs'), 'export const job = 1;\n');
      await expect(loadJob(join(dir, 'none.mjs'))).rejects.toThrow(
        /job module '.*none\.mjs' must `export default defineJob\(\{ \.\.\. \}\)`; its default export is undefined/,
      );
      await expect(loadJob(join(dir, 'missing.mjs'))).rejects.toThrow(NotFoundError);
    } finally {
      await cleanup();
    }
  });
});

describe('shards', () => {
  const tasks = [...Array(7).keys()].map((index) => ({ index, file: `f${index}` }));

  it('split the task list round-robin, every task in exactly one shard', () => {
    expect(shardTasks(tasks, parseShard('1/3')).map((task) => task.index)).toEqual([1, 4]);
    const all = [0, 1, 2].flatMap((index) => shardTasks(tasks, { index, count: 3 }).map((task) => task.index));
    expect(all.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('come from --shard I/N or JOB_COMPLETION_INDEX, with named errors', () => {
    expect(shardFromEnvironment(4, { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(() => shardFromEnvironment(4, {})).toThrow(
      /--shards needs JOB_COMPLETION_INDEX .* got nothing; outside Kubernetes use --shard/,
    );
    expect(() => shardFromEnvironment(4, { JOB_COMPLETION_INDEX: '4' })).toThrow(
      /JOB_COMPLETION_INDEX=4 with --shards 4: the shard index must be in 0\.\.3/,
    );
    expect(() => parseShard('2')).toThrow(/--shard must be <index>\/<count> \(e\.g\. 0\/4\), got '2'/);
    expect(() => parseShard('0/0')).toThrow(/the shard count must be a positive integer/);
  });
});
