import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJob } from '../define_job.js';
import { planJob } from '../plan/task_plan.js';
import { DuckDbChecks } from '../test_support/duckdb_checks.js';
import { tempDir } from '../test_support/job_fixtures.js';
import { commitJob } from './job_commit.js';
import { prepareOutput } from './prepare_output.js';
import { runTaskAttempt } from './task_attempt.js';

let root: { dir: string; cleanup: () => Promise<void> };
/** Row groups of b.parquet as DuckDB's footer reader sees them. */
let bGroups: number[];
beforeAll(async () => {
  root = await tempDir('attempts');
  const duck = await DuckDbChecks.open();
  await duck.writeInput(join(root.dir, 'b.parquet'), 100, 6000, 2048);
  await duck.writeInput(join(root.dir, 'a.parquet'), 0, 100, 2048);
  bGroups = await duck.rowGroups(join(root.dir, 'b.parquet'));
  duck.close();
});
afterAll(() => root?.cleanup());

describe('the output commit protocol', () => {
  it('plans tasks from sorted inputs and Parquet footers, identically every time', async () => {
    const job = defineJob({
      name: 'p',
      inputs: [join(root.dir, 'b.parquet'), join(root.dir, '*.parquet')],
      pipeline: (ds) => ds,
      output: { dir: join(root.dir, 'o') },
    });
    const plan = await planJob(job);
    expect(bGroups.length).toBeGreaterThan(1);
    expect(
      plan.tasks.map((task) => [task.index, task.file.slice(root.dir.length + 1), task.rowGroup, task.rows]),
    ).toEqual([[0, 'a.parquet', 0, 100], ...bGroups.map((rows, group) => [group + 1, 'b.parquet', group, rows])]);
    expect((await planJob(job)).fingerprint).toBe(plan.fingerprint);
    const byFile = await planJob(defineJob({ ...job, split: 'file' }));
    expect(byFile.tasks.map((task) => [task.rowGroup, task.rows])).toEqual([
      [undefined, 100],
      [undefined, 6000],
    ]);
    expect(byFile.fingerprint).not.toBe(plan.fingerprint);
  });

  it('a duplicate or late attempt of a committed task is discarded and leaves the part alone', async () => {
    const out = join(root.dir, 'dup');
    const job = defineJob({
      name: 'dup',
      inputs: join(root.dir, 'a.parquet'),
      pipeline: (ds) => ds,
      output: { dir: out },
    });
    const plan = await planJob(job);
    await prepareOutput(plan);
    const [first, second] = await Promise.all([
      runTaskAttempt(job, plan, plan.tasks[0]!, 'one'),
      runTaskAttempt(job, plan, plan.tasks[0]!, 'two'),
    ]);
    expect([first.committed, second.committed].sort()).toEqual([false, true]);
    expect([first.rows, second.rows]).toEqual([100, 100]);
    const part = await stat(join(out, 'part-00000.parquet'));
    const late = await runTaskAttempt(job, plan, plan.tasks[0]!, 'three');
    expect(late).toEqual({ index: 0, rows: 100, committed: false });
    expect((await stat(join(out, 'part-00000.parquet'))).mtimeMs).toBe(part.mtimeMs);
    expect((await readdir(join(out, '_temporary'))).filter((name) => name.startsWith('attempt-'))).toEqual([]);
    const manifest = await commitJob({ name: 'dup', outputDir: out, format: 'parquet', taskCount: 1 });
    expect(manifest).toEqual({
      job: 'dup',
      tasks: 1,
      rows: 100,
      parts: [{ file: 'part-00000.parquet', rows: 100, bytes: part.size, task: 0 }],
    });
    expect(await readdir(out)).toEqual(['_SUCCESS', 'part-00000.parquet']);
  });

  it('a failing attempt leaves no part and no attempt files', async () => {
    const out = join(root.dir, 'failing');
    const job = defineJob({
      name: 'failing',
      inputs: join(root.dir, 'b.parquet'),
      pipeline: (ds) =>
        ds.map((row) => {
          if (row['id'] === 2000) throw new Error('bad row 2000');
          return row;
        }),
      output: { dir: out },
    });
    const plan = await planJob(job);
    await prepareOutput(plan);
    await expect(runTaskAttempt(job, plan, plan.tasks[0]!, 'x')).rejects.toThrow(/bad row 2000/);
    expect(await readdir(out)).toEqual(['_temporary']);
    expect(await readdir(join(out, '_temporary'))).toEqual(['plan.json']);
    await expect(commitJob({ name: 'failing', outputDir: out, format: 'parquet', taskCount: 2 })).rejects.toThrow(
      /2 of 2 tasks have no committed part .* \(tasks 0, 1\)/,
    );
  });
});
