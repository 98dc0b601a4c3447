#!/usr/bin/env node
// `npm run bench -w @tsflow/jobs`: throughput of one job over a generated Parquet input
// (default 20M rows in 10 files; BENCH_ROWS to change) run by 1, 2 and 4 embedded worker
// processes and by 3 BullMQ workers on a local redis-server, and the fixed cost per task of the
// BullMQ path vs the embedded one (many tiny tasks, 1 worker). Writes its section of the
// repository's BENCHMARKS.md. Ratios are against the 1-process run of the same invocation; CPU
// time (this process and its finished children: the worker processes) is reported beside wall
// time because the load of a shared machine moves wall time a lot; the load is noted.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Dataset } from '@tsflow/data';
import { LocalRedisServer, defineJob, planJob, runJob, submitJob, waitForJob } from '@tsflow/jobs';
import { Redis } from 'ioredis';

const here = dirname(fileURLToPath(import.meta.url));
const work = resolve(here, '../../../.bench-tmp/jobs');
const ROWS = Number(process.env.BENCH_ROWS ?? 20_000_000);
const FILES = 10;
const TINY_TASKS = Number(process.env.BENCH_TINY_TASKS ?? 100);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

async function main() {
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'input'), { recursive: true });
  const load = [];
  const note = () => load.push(loadavg()[0]);
  note();
  console.error(`generating ${ROWS} rows in ${FILES} Parquet files (DuckDB) ...`);
  await generateInput(join(work, 'input'), ROWS, FILES);
  // Two tiny inputs, N and 2N files of 100 rows (one task each): the difference of their
  // times is N tasks' cost without the fixed costs (starting processes, committing the job).
  const small = [];
  for (const tasks of [TINY_TASKS, 2 * TINY_TASKS]) {
    const dir = join(work, `tiny-${tasks}`);
    await mkdir(dir);
    for (let t = 0; t < tasks; t++) {
      await Dataset.fromArray(
        Array.from({ length: 100 }, (_, i) => ({ id: t * 100 + i, x: i / 7, y: i % 13 })),
      ).writeParquet(join(dir, `t-${String(t).padStart(5, '0')}.parquet`));
    }
    small.push(await jobModule(`tiny-${tasks}`, `${dir}/*.parquet`, `tiny-${tasks}-out`));
  }
  const big = await jobModule('normalise', `${join(work, 'input')}/*.parquet`, 'normalised');
  const taskCount = (
    await planJob(
      defineJob({
        name: 'plan',
        inputs: `${join(work, 'input')}/*.parquet`,
        output: { dir: work },
        pipeline: (ds) => ds,
      }),
    )
  ).tasks.length;

  const results = [];
  for (const workers of [1, 2, 4]) {
    const cpu = {};
    const seconds = await timed(
      `embedded, ${workers} worker${workers > 1 ? 's' : ''}`,
      () => runJob(big.module, { workers }),
      big.out,
      cpu,
    );
    results.push({ mode: `embedded, ${workers} process${workers > 1 ? 'es' : ''}`, seconds, cpu: cpu.seconds });
    note();
  }
  const redis = await LocalRedisServer.start();
  try {
    const cpu = {};
    const seconds = await timed('BullMQ, 3 workers', () => runOnBullmq(redis.url, big.module, 3), big.out, cpu);
    results.push({ mode: 'BullMQ, 3 worker processes', seconds, cpu: cpu.seconds });
    note();
    const perTask = { embedded: { wall: [], cpu: [] }, bullmq: { wall: [], cpu: [] } };
    const client = new Redis(redis.url);
    // CPU of redis-server itself (it serves the BullMQ path), from INFO cpu.
    const redisCpu = async () => {
      const info = await client.info('cpu');
      return ['used_cpu_sys', 'used_cpu_user'].reduce(
        (sum, key) => sum + Number(new RegExp(`${key}:([\\d.]+)`).exec(info)[1]),
        0,
      );
    };
    const run = async (mode, job) => {
      const cpu = {};
      const redisBefore = await redisCpu();
      const start =
        mode === 'embedded' ? () => runJob(job.module, { workers: 1 }) : () => runOnBullmq(redis.url, job.module, 1);
      const wall = await timed(`${job.module}, ${mode}`, start, job.out, cpu);
      return { wall, cpu: cpu.seconds + (mode === 'bullmq' ? (await redisCpu()) - redisBefore : 0) };
    };
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const [once, twice] = small;
      for (const mode of ['embedded', 'bullmq']) {
        const [a, b] = [await run(mode, twice), await run(mode, once)];
        perTask[mode].wall.push((a.wall - b.wall) / TINY_TASKS);
        perTask[mode].cpu.push((a.cpu - b.cpu) / TINY_TASKS);
      }
    }
    client.disconnect();
    note();
    await report(results, taskCount, perTask, load);
  } finally {
    await redis.stop();
    await rm(work, { recursive: true, force: true });
  }
}

async function generateInput(dir, rows, files) {
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  const perFile = Math.ceil(rows / files);
  for (let f = 0; f < files; f++) {
    const from = f * perFile;
    const to = Math.min(rows, from + perFile);
    await duck.run(`COPY (SELECT i::INTEGER AS id, ((i * 7919) % 10007) / 100.0 AS x, ((i * 104729) % 1009)::DOUBLE AS y
      FROM range(${from}, ${to}) t(i)) TO '${join(dir, `part-${f}.parquet`)}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)`);
  }
  duck.closeSync();
}

/** A job standardising two columns, columnar (batches of NDArrays, no row objects). */
async function jobModule(name, inputs, out) {
  const module = join(work, `${name}.mjs`);
  const outDir = join(work, out);
  await writeFile(
    module,
    `import { defineJob } from '@tsflow/jobs';
import { NDArray } from '@tsflow/core';
const scale = (column, mean, std) => {
  const out = new Float32Array(column.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (column.data[i] - mean) / std;
  return new NDArray('float32', [out.length], out);
};
export default defineJob({ name: '${name}', inputs: '${inputs}', output: { dir: '${outDir}' },
  pipeline: (ds) => ds.batch(65536).map((b) => ({ id: b.id, x: scale(b.x, 50, 28.9), y: scale(b.y, 504, 291) })) });
`,
  );
  return { module, out: outDir };
}

async function runOnBullmq(url, module, count) {
  const workers = await Promise.all([...Array(count).keys()].map(() => startWorkerProcess(url)));
  try {
    const started = performance.now();
    const { id } = await submitJob(module, { redis: url });
    await waitForJob(id, { redis: url, pollMs: 50 });
    return (performance.now() - started) / 1000;
  } finally {
    await Promise.all(
      workers.map(
        (child) =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

/** A worker process (like `tsflow job worker`), resolved once it waits for tasks. */
async function startWorkerProcess(url) {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
    import { startJobWorker } from '@tsflow/jobs';
    const worker = await startJobWorker({ redis: '${url}' });
    process.on('SIGTERM', () => worker.close().then(() => process.exit(0)));
    console.log('ready');`,
    ],
    { cwd: here, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((ready) => child.stdout.once('data', ready));
  return child;
}

/** CPU seconds of this process and of its children that have exited (Linux /proc). */
async function cpuSeconds() {
  const fields = (await readFile('/proc/self/stat', 'utf8')).split(') ')[1].split(' ');
  // utime, stime, cutime, cstime are fields 14-17 of stat (11-14 after the command name), in ticks.
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

/** Runs `fn` (which may report its own wall time), returns seconds, and clears the output folder. */
async function timed(what, fn, out, cpu) {
  const started = performance.now();
  const cpuBefore = await cpuSeconds();
  const own = await fn();
  const seconds = typeof own === 'number' ? own : (performance.now() - started) / 1000;
  if (cpu !== undefined) cpu.seconds = (await cpuSeconds()) - cpuBefore;
  console.error(`${what}: ${seconds.toFixed(2)} s${cpu === undefined ? '' : `, ${cpu.seconds.toFixed(1)} CPU s`}`);
  await rm(out, { recursive: true, force: true });
  return seconds;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function report(results, taskCount, perTask, load) {
  const ms = (values) => (median(values) * 1000).toFixed(1);
  const e = perTask.embedded;
  const q = perTask.bullmq;
  const base = results[0].seconds;
  const lines = [
    '## Batch jobs (`@tsflow/jobs`)',
    '',
    `Measured by \`npm run bench -w @tsflow/jobs\` (packages/jobs/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: Node ${process.version},`,
    `${availableParallelism()} cores; 1-minute load average during the run ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} (other work was sharing the cores).`,
    '',
    `Job: standardise two columns of ${ROWS.toLocaleString('en')} rows in ${FILES} Parquet files (DuckDB-written, row groups of up to 1M rows = ${taskCount} tasks),`,
    'columnar (`batch(65536)` of NDArrays), written as snappy Parquet parts. Wall time to `_SUCCESS`, one run each; the embedded',
    'runs include starting their worker processes, the BullMQ run does not (its workers were already waiting, as in production).',
    '',
    '| mode | wall s | rows/s | speed-up vs 1 process | CPU s (all processes) |',
    '|---|---|---|---|---|',
    ...results.map(
      ({ mode, seconds, cpu }) =>
        `| ${mode} | ${seconds.toFixed(1)} | ${(ROWS / seconds / 1e6).toFixed(2)}M | ${(base / seconds).toFixed(2)}× | ${cpu.toFixed(1)} |`,
    ),
    '',
    `Per-task cost: jobs of ${TINY_TASKS} and ${2 * TINY_TASKS} tasks (files of 100 rows), 1 worker; (time of ${2 * TINY_TASKS} - time of ${TINY_TASKS}) / ${TINY_TASKS},`,
    `median of ${REPEATS} repeats, in wall time and in CPU time (all processes, plus redis-server's own for BullMQ: the figure the load moves least).`,
    "It includes each task's tiny pipeline and commit (the same in both modes); the difference is what BullMQ adds.",
    '',
    '| mode | wall ms per task | CPU ms per task |',
    '|---|---|---|',
    `| embedded, 1 process | ${ms(e.wall)} | ${ms(e.cpu)} |`,
    `| BullMQ, 1 worker | ${ms(q.wall)} | ${ms(q.cpu)} |`,
    `| BullMQ extra per task | ${((median(q.wall) - median(e.wall)) * 1000).toFixed(1)} | ${((median(q.cpu) - median(e.cpu)) * 1000).toFixed(1)} (${(median(q.cpu) / median(e.cpu)).toFixed(2)}× embedded) |`,
    '',
  ];
  await writeSection(resolve(here, '../../../BENCHMARKS.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

/** Replaces (or appends) this benchmark's section of BENCHMARKS.md, leaving the others alone. */
async function writeSection(path, section) {
  const text = await readFile(path, 'utf8').catch(() => '# Benchmarks\n');
  const start = text.indexOf(section.slice(0, section.indexOf('\n')));
  const next = start < 0 ? -1 : text.indexOf('\n## ', start + 1);
  const updated =
    start < 0
      ? `${text.trimEnd()}\n\n${section}`
      : `${text.slice(0, start)}${section}${next < 0 ? '' : text.slice(next)}`;
  await writeFile(path, updated.endsWith('\n') ? updated : `${updated}\n`);
}

await main();
