import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedPreconditionError } from '@tsflow/core';
import { readManifest } from '../commit/job_commit.js';
import { JobFailedError } from '../job_failed_error.js';
import { DuckDbChecks } from '../test_support/duckdb_checks.js';
import { partFiles, tempDir, writeJobModule } from '../test_support/job_fixtures.js';
import { LocalRedisServer as RedisServer, freePort } from '../redis/local_redis_server.js';
import { WorkerProcess } from '../test_support/worker_processes.js';
import { DEFAULT_QUEUE } from './job_records.js';
import { startJobWorker } from './job_worker.js';
import { jobStatus } from './job_status.js';
import { submitJob } from './submit_job.js';
import { waitForJob } from './wait_for_job.js';

let redis: RedisServer;
let duck: DuckDbChecks;
let root: { dir: string; cleanup: () => Promise<void> };
let inputs: string[];
let workers: WorkerProcess[] = [];
const DOUBLED = 'SELECT id, value * 2 AS value, key FROM {files}';

beforeAll(async () => {
  [redis, duck, root] = await Promise.all([RedisServer.start(), DuckDbChecks.open(), tempDir('bullmq')]);
  inputs = [join(root.dir, 'in-a.parquet'), join(root.dir, 'in-b.parquet'), join(root.dir, 'in-c.parquet')];
  // 3 files x 3 row groups: 9 tasks.
  for (const [i, file] of inputs.entries()) await duck.writeInput(file, i * 6000, 6000, 2048);
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
  await redis?.stop();
  duck?.close();
  await root?.cleanup();
});

/** A job doubling `value`; each task first leaves a `started-<pid>-<task>` marker and takes ~0.3 s. */
async function slowJob(name: string, extra = ''): Promise<{ module: string; out: string }> {
  const out = join(root.dir, `out-${name}`);
  const module = await writeJobModule(
    join(root.dir, `${name}.mjs`),
    `{ name: '${name}', inputs: '${root.dir}/in-*.parquet', output: { dir: '${out}' },
      pipeline: async (ds, task) => {
        marker('${root.dir}/started-${name}-' + process.pid + '-' + task.index);
        ${extra}
        await new Promise((resolve) => setTimeout(resolve, 300));
        return ds.map((row) => ({ id: row.id, value: row.value * 2, key: row.key }));
      } }`,
  );
  return { module, out };
}

async function startWorkers(count: number, prefix: string): Promise<WorkerProcess[]> {
  const started = await Promise.all(
    [...Array(count).keys()].map((i) => WorkerProcess.start(root.dir, redis.url, `${prefix}-${i + 1}`)),
  );
  workers.push(...started);
  return started;
}

async function stopWorkers(): Promise<void> {
  await Promise.all(workers.map((worker) => worker.stop()));
  workers = [];
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function expectExactlyOnce(out: string): Promise<void> {
  const manifest = await readManifest(join(out, '_SUCCESS'));
  expect(manifest).toMatchObject({ tasks: 9, rows: 18000 });
  expect(manifest!.parts.map((part) => part.task)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  expect(manifest!.parts.map((part) => join(out, part.file))).toEqual(await partFiles(out));
  expect(await duck.summary(await partFiles(out), 'SELECT * FROM {files}')).toEqual(
    await duck.summary(inputs, DOUBLED),
  );
}

describe('distributed jobs (BullMQ on a real redis-server)', () => {
  it('3 workers, one SIGKILLed mid-task: its task goes to another worker; every row is written exactly once', async () => {
    const started = await startWorkers(3, 'kill');
    // The first task attempt anywhere hangs (after leaving a hung-<pid> marker): its worker is the victim, surely mid-task.
    const hang = `if (marker('${root.dir}/hang-once')) { marker('${root.dir}/hung-' + process.pid); await new Promise(() => {}); }`;
    const { module, out } = await slowJob('killed', hang);
    const { id } = await submitJob(module, { redis: redis.url, backoffMs: 100 });
    const hungMarker = async () => (await readdir(root.dir)).find((name) => name.startsWith('hung-'));
    await until(async () => (await hungMarker()) !== undefined, 'a worker to start a task');
    const victimPid = Number((await hungMarker())!.slice('hung-'.length));
    const victim = started.find((worker) => worker.pid === victimPid)!;
    await victim.stop('SIGKILL');
    const status = await waitForJob(id, { redis: redis.url, pollMs: 100, timeoutMs: 60_000 });
    expect(status).toMatchObject({ state: 'completed', tasksDone: 9, tasksTotal: 9, rows: 18000 });
    expect(status.workers.reduce((sum, worker) => sum + worker.tasks, 0)).toBe(9);
    await expectExactlyOnce(out);
    // The victim's task ran again elsewhere: two markers for that task index.
    const markers = (await readdir(root.dir)).filter((name) => name.startsWith('started-killed-'));
    const victimTask = markers
      .find((name) => name.startsWith(`started-killed-${victim.pid}-`))!
      .split('-')
      .pop();
    expect(markers.filter((name) => name.endsWith(`-${victimTask}`)).length).toBeGreaterThanOrEqual(2);
    // Progress is also BullMQ progress of the job (its commit step, the flow's parent).
    const queue = new Queue(DEFAULT_QUEUE, { connection: { url: redis.url } });
    expect((await Job.fromId(queue, id))!.progress).toMatchObject({ tasksTotal: 9 });
    await queue.close();
    await stopWorkers();
  });

  it('Redis restarted mid-job: workers reconnect and the job completes, nothing lost or doubled', async () => {
    await startWorkers(2, 'restart');
    // Two task attempts run freely; every later one waits at a gate (leaving a gated-<task>-<pid>
    // marker) until the test opens it. So the job is surely mid-way when Redis goes down: two
    // tasks committed, both workers inside a task, seven tasks to go, whatever the machine's speed.
    const gate = join(root.dir, 'gate-restarted');
    const { module, out } = await slowJob(
      'restarted',
      `if (!marker('${root.dir}/pass-restarted-1') && !marker('${root.dir}/pass-restarted-2')) {
        marker('${root.dir}/gated-restarted-' + task.index + '-' + process.pid);
        const { existsSync } = await import('node:fs');
        while (!existsSync('${gate}')) await new Promise((resolve) => setTimeout(resolve, 25));
      }`,
    );
    const { id } = await submitJob(module, { redis: redis.url, backoffMs: 100 });
    const gated = async () => (await readdir(root.dir)).filter((name) => name.startsWith('gated-restarted-')).length;
    await until(
      async () => (await jobStatus(id, { redis: redis.url })).tasksDone === 2 && (await gated()) >= 2,
      'two tasks done and both workers at the gate',
    );
    await redis.restart(500);
    expect((await jobStatus(id, { redis: redis.url })).tasksDone).toBe(2); // the records survived the restart
    await writeFile(gate, '');
    const status = await waitForJob(id, { redis: redis.url, pollMs: 100, timeoutMs: 60_000 });
    expect(status).toMatchObject({ state: 'completed', tasksDone: 9, rows: 18000 });
    await expectExactlyOnce(out);
    await stopWorkers();
  });

  it('a task that throws on every attempt fails the job, naming the task, file, row group and error', async () => {
    await startWorkers(2, 'poison');
    const { module, out } = await slowJob(
      'poison',
      `if (task.index === 4) throw new RangeError('bad row group ' + task.rowGroup);`,
    );
    const { id } = await submitJob(module, { redis: redis.url, backoffMs: 100 });
    const failure =
      /job 'poison' failed: task 4 \(file .*in-b\.parquet, row group 1\) failed 3 times; last error: RangeError: bad row group 1/;
    const error = await waitForJob(id, { redis: redis.url, pollMs: 100, timeoutMs: 60_000 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).message).toMatch(failure);
    expect(error).toMatchObject({
      job: 'poison',
      attempts: 3,
      task: { index: 4, rowGroup: 1, file: inputs[1] },
      reason: 'RangeError: bad row group 1',
    });
    expect(await jobStatus(id, { redis: redis.url })).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(failure),
      failure: { task: { index: 4 }, attempts: 3 },
    });
    expect(await stat(join(out, '_SUCCESS')).catch(() => undefined)).toBeUndefined();
    await stopWorkers();
  });

  it('a worker that cannot reach Redis fails at once with one clear line', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const start = startJobWorker({ redis: url });
    await expect(start).rejects.toThrow(FailedPreconditionError);
    await expect(start).rejects.toThrow(
      /^cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
    );
    await expect(waitForJob('any-1', { redis: url })).rejects.toThrow(
      /^cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED/,
    );
    await expect(jobStatus('any-1', { redis: url })).rejects.toThrow(/^cannot reach Redis at/);
    await expect(submitJob('job.mjs', { redis: 'http://x' })).rejects.toThrow(
      /submitJob: redis: expected a Redis URL like redis:\/\/host:6379, got "http:\/\/x"/,
    );
    await expect(jobStatus('nope-1', { redis: redis.url })).rejects.toThrow(
      /no job 'nope-1' in queue 'tsflow-jobs' on redis:\/\/127\.0\.0\.1:\d+/,
    );
  });
});
