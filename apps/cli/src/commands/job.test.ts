import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run_cli.js';

const execFileAsync = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/tsflow.js', import.meta.url));
const iris = fileURLToPath(new URL('../../../../test-fixtures/parquet/iris.parquet', import.meta.url));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-cli-job-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tsflow job', () => {
  it("prints its help and each subcommand's; usage mistakes exit 2 naming the problem", async () => {
    const help = await cli('job', '--help');
    expect(help.code).toBe(0);
    expect(help.out[0]).toMatch(/^Usage: tsflow job \[options\] \[command\]/);
    expect(help.out[0]).toMatch(/run \[options\] <job\.mjs>/);
    expect(help.out.join('\n')).toMatch(/export default defineJob/);
    const runHelp = await cli('job', 'run', '--help');
    expect(runHelp.code).toBe(0);
    expect(runHelp.out[0]).toMatch(/--shards <n> .*JOB_COMPLETION_INDEX/s);
    const missing = await cli('job', 'run');
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/tsflow job run: missing required argument 'job.mjs'/);
    const badWorkers = await cli('job', 'run', 'x.mjs', '--workers', 'many');
    expect(badWorkers.code).toBe(2);
    expect(badWorkers.err[0]).toBe("tsflow job run: --workers must be a positive integer, got 'many'");
    const badShard = await cli('job', 'run', 'x.mjs', '--shard', '4/4');
    expect(badShard.code).toBe(2);
    expect(badShard.err[0]).toMatch(/--shard 4\/4: the shard index must be in 0\.\.3/);
    const noIndex = await cli('job', 'run', 'x.mjs', '--shards', '4');
    expect(noIndex.code).toBe(2);
    expect(noIndex.err[0]).toMatch(/--shards needs JOB_COMPLETION_INDEX/);
    expect((await cli('job', 'frobnicate')).code).toBe(2);
    const noRedis = await cli('job', 'worker');
    expect(noRedis.code).toBe(2);
    expect(noRedis.err[0]).toMatch(/tsflow job worker: required option '--redis <url>' not specified/);
    for (const sub of ['submit', 'worker', 'status', 'wait', 'commit'])
      expect((await cli('job', sub, '--help')).code).toBe(0);
    expect((await cli('job', 'wait', '--help')).out.join('\n')).toMatch(
      /Exit status:\n {2}0 {2}the job is committed.*\n {2}1 {2}the job failed: a JobFailedError/s,
    );
  });

  it('a worker that cannot reach Redis exits 1 with one clear line', async () => {
    const worker = await cli('job', 'worker', '--redis', 'redis://127.0.0.1:1');
    expect(worker.code).toBe(1);
    expect(worker.out).toEqual([]);
    expect(worker.err).toEqual([
      'tsflow job worker: cannot reach Redis at redis://127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1)',
    ]);
    const submit = await cli('job', 'submit', 'job.mjs', '--redis', 'localhost:6379');
    expect(submit.code).toBe(2);
    expect(submit.err[0]).toBe(
      "tsflow job submit: --redis must be a Redis URL like redis://host:6379, got 'localhost:6379'",
    );
  });

  it('runs a job module with worker processes and commits its output', async () => {
    const job = join(dir, 'iris.mjs');
    await writeFile(
      job,
      // A module outside the repository still imports @tsflow/jobs by name.
      `import { defineJob } from '@tsflow/jobs';
export default defineJob({ name: 'iris-double', inputs: ${JSON.stringify(iris)}, output: { dir: ${JSON.stringify(join(dir, 'out'))} }, split: 'file',
  pipeline: (ds) => ds.map((row) => ({ ...row, sepal_length: row.sepal_length * 2 })) });\n`,
    );
    // The real command in its own process (where module resolution is Node's own, not vitest's).
    const run = await execFileAsync(process.execPath, [bin, 'job', 'run', job, '--workers', '1', '--quiet'], {
      cwd: dir,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^job 'iris-double' committed 1 parts, 150 rows to .*out: 1 tasks run/);
    const manifest = JSON.parse(await readFile(join(dir, 'out', '_SUCCESS'), 'utf8'));
    expect(manifest).toMatchObject({
      job: 'iris-double',
      tasks: 1,
      rows: 150,
      parts: [{ file: 'part-00000.parquet', rows: 150, task: 0 }],
    });
    // In-process runs (vitest resolves imports itself): the same job as a plain default export.
    const plain = join(dir, 'plain.mjs');
    await writeFile(
      plain,
      `export default { name: 'iris-double', inputs: ${JSON.stringify(iris)}, output: { dir: ${JSON.stringify(join(dir, 'out'))} }, split: 'file', pipeline: (ds) => ds };\n`,
    );
    const again = await cli('job', 'run', plain);
    expect(again.code).toBe(1);
    expect(again.err).toHaveLength(1);
    expect(again.err[0]).toMatch(/^tsflow job run: job 'iris-double': output folder .* already holds a committed job/);
    const commit = await cli('job', 'commit', plain);
    expect(commit.out).toEqual(["job 'iris-double' committed: 1 parts, 150 rows (1 tasks)"]);
  });
});
