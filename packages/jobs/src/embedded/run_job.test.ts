import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedPreconditionError } from '@tsflow/core';
import { JobFailedError } from '../job_failed_error.js';
import { readManifest } from '../commit/job_commit.js';
import { DuckDbChecks } from '../test_support/duckdb_checks.js';
import { partFiles, tempDir, writeJobModule } from '../test_support/job_fixtures.js';
import { commitJobModule, runJob } from './run_job.js';

let duck: DuckDbChecks;
let root: { dir: string; cleanup: () => Promise<void> };
let inputs: string[];
const DOUBLED = 'SELECT id, value * 2 AS value, key FROM {files}';

beforeAll(async () => {
  duck = await DuckDbChecks.open();
  root = await tempDir('embedded');
  inputs = [join(root.dir, 'in-a.parquet'), join(root.dir, 'in-b.parquet'), join(root.dir, 'in-c.parquet')];
  // 3 files x 3 row groups (DuckDB writes 2048-row groups): 9 tasks.
  for (const [i, file] of inputs.entries()) await duck.writeInput(file, i * 6000, 6000, 2048);
});
afterAll(async () => {
  duck?.close();
  await root?.cleanup();
});

/** A job doubling `value` over the inputs into `out`; `extra` goes into the pipeline body first. */
async function doublingJob(name: string, out: string, extra = ''): Promise<string> {
  return writeJobModule(
    join(root.dir, `${name}.mjs`),
    `{ name: '${name}', inputs: '${root.dir}/in-*.parquet', output: { dir: '${out}' },
      pipeline: (ds, task) => { ${extra} return ds.map((row) => ({ id: row.id, value: row.value * 2, key: row.key })); } }`,
  );
}

describe('runJob (embedded worker processes)', () => {
  it('writes one part per row group and a _SUCCESS manifest; the parts hold every input row exactly once', async () => {
    const out = join(root.dir, 'out-plain');
    const seen: number[] = [];
    const result = await runJob(await doublingJob('plain', out, `marker('${root.dir}/pid-' + process.pid);`), {
      workers: 2,
      onProgress: (p) => seen.push(p.tasksDone),
    });
    expect(result.tasksRun).toBe(9);
    // Its worker processes have all exited when runJob returns.
    const pids = (await readdir(root.dir))
      .filter((name) => name.startsWith('pid-'))
      .map((name) => Number(name.slice(4)));
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    const manifest = await readManifest(join(out, '_SUCCESS'));
    expect(manifest).toMatchObject({ job: 'plain', tasks: 9, rows: 18000 });
    expect(manifest!.parts.map((part) => part.file)).toEqual([...Array(9).keys()].map((i) => `part-0000${i}.parquet`));
    for (const part of manifest!.parts) {
      expect(part.bytes).toBe((await stat(join(out, part.file))).size);
      expect(part.rows).toBe(await duck.count([join(out, part.file)]));
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await duck.summary(await partFiles(out), 'SELECT * FROM {files}')).toEqual(
      await duck.summary(inputs, DOUBLED),
    );
    expect((await readdir(out)).filter((name) => name.startsWith('_'))).toEqual(['_SUCCESS']);
  });

  it('a worker process killed mid-task: its task is retried elsewhere, nothing lost or doubled', async () => {
    const out = join(root.dir, 'out-killed');
    const kill = `if (task.index === 4 && marker('${root.dir}/killed-once')) setTimeout(() => process.kill(process.pid, 'SIGKILL'), 5);`;
    const manifest = (await runJob(await doublingJob('killed', out, kill), { workers: 3 })).manifest!;
    expect(await stat(join(root.dir, 'killed-once'))).toBeTruthy();
    expect(manifest.parts).toHaveLength(9);
    expect(await duck.summary(await partFiles(out), 'SELECT * FROM {files}')).toEqual(
      await duck.summary(inputs, DOUBLED),
    );
  });

  it('a task that throws on every attempt fails the job naming the task, file, row group and error', async () => {
    const out = join(root.dir, 'out-poison');
    const poison = `if (task.index === 4) throw new RangeError('bad row group ' + task.rowGroup);`;
    const run = runJob(await doublingJob('poison', out, poison), { workers: 2 });
    await expect(run).rejects.toThrow(JobFailedError);
    await expect(run).rejects.toThrow(
      /job 'poison' failed: task 4 \(file .*in-b\.parquet, row group 1\) failed 3 times; last error: RangeError: bad row group 1/,
    );
    expect(await stat(join(out, '_SUCCESS')).catch(() => undefined)).toBeUndefined();
  });

  it('a task whose pipeline keeps only some rows (none for some tasks) commits the rows it kept', async () => {
    const out = join(root.dir, 'out-filtered');
    const job = await writeJobModule(
      join(root.dir, 'filtered.mjs'),
      `{ name: 'filtered', inputs: '${root.dir}/in-*.parquet', output: { dir: '${out}', format: 'arrow' }, split: 'file',
        pipeline: (ds, task) => ds.filter((row) => task.index !== 1 && row.id % 2 === 0) }`,
    );
    const manifest = (await runJob(job, { workers: 1 })).manifest!;
    expect(manifest).toMatchObject({ tasks: 3, rows: 6000 });
    expect(manifest.parts.map((part) => [part.task, part.file, part.rows])).toEqual([
      [0, 'part-00000.arrow', 3000],
      [2, 'part-00002.arrow', 3000],
    ]);
  });

  it('shards run separately (as Kubernetes indexes), then commit; committing early names the missing tasks', async () => {
    const out = join(root.dir, 'out-sharded');
    const job = await doublingJob('sharded', out);
    const first = await runJob(job, { workers: 1, shard: { index: 0, count: 2 } });
    expect(first.tasksRun).toBe(5);
    expect(first.manifest).toBeUndefined();
    await expect(commitJobModule(job)).rejects.toThrow(
      /job 'sharded': 4 of 9 tasks have no committed part in .* yet \(tasks 1, 3, 5, 7\)/,
    );
    await expect(commitJobModule(job)).rejects.toThrow(FailedPreconditionError);
    // A rerun of index 0 (a pod restarted) finds its parts and runs nothing.
    expect((await runJob(job, { workers: 1, shard: { index: 0, count: 2 } })).tasksSkipped).toBe(5);
    await runJob(job, { workers: 2, shard: { index: 1, count: 2 } });
    const manifest = await commitJobModule(job);
    expect(manifest.parts).toHaveLength(9);
    expect(await commitJobModule(job)).toEqual(manifest);
    expect(JSON.parse(await readFile(join(out, '_SUCCESS'), 'utf8'))).toEqual(manifest);
    expect(await duck.summary(await partFiles(out), 'SELECT * FROM {files}')).toEqual(
      await duck.summary(inputs, DOUBLED),
    );
  });

  it('refuses an output folder that holds a committed job or parts of another plan', async () => {
    const out = join(root.dir, 'out-plain');
    await expect(runJob(await doublingJob('again', out), { workers: 1 })).rejects.toThrow(
      /already holds a committed job \(_SUCCESS\)/,
    );
    const partial = join(root.dir, 'out-partial');
    await runJob(await doublingJob('partial', partial), { workers: 1, shard: { index: 0, count: 3 } });
    const other = await writeJobModule(
      join(root.dir, 'other.mjs'),
      `{ name: 'other', inputs: '${inputs[0]}', output: { dir: '${partial}' }, pipeline: (ds) => ds }`,
    );
    await expect(runJob(other, { workers: 1 })).rejects.toThrow(
      /job 'other' \(3 tasks\) can't write to .*out-partial: it holds parts of another plan \(job 'partial', 9 tasks/,
    );
  });
});
