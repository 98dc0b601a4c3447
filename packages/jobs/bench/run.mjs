#!/usr/bin/env node
// `npm run bench -w @tsflow/jobs`: throughput of one job over a generated Parquet input
// (default 20M rows in 10 files; BENCH_ROWS to change) run by 1, 2 and 4 embedded worker
// processes and by 3 BullMQ workers on a local redis-server, and the fixed cost per task of the
// BullMQ path vs the embedded one (many tiny tasks, 1 worker). Writes packages/jobs/BENCHMARKS.md.
// Ratios are against the 1-process run of the same invocation; the machine's load is noted.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Dataset } from '@tsflow/data';
import { LocalRedisServer, defineJob, planJob, runJob, submitJob, waitForJob } from '@tsflow/jobs';

const here = dirname(fileURLToPath(import.meta.url));
const work = resolve(here, '../../../.bench-tmp/jobs');
const ROWS = Number(process.env.BENCH_ROWS ?? 20_000_000);
const FILES = 10;
const TINY_TASKS = Number(process.env.BENCH_TINY_TASKS ?? 200);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

async function main() {
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'input'), { recursive: true });
  const load = [];
  const note = () => load.push(loadavg()[0]);
  note();
  console.error(`generating ${ROWS} rows in ${FILES} Parquet files (DuckDB) ...`);
  await generateInput(join(work, 'input'), ROWS, FILES);
  // Two tiny inputs, N and 2N tasks of 100 rows: the difference of their times is N tasks'
  // cost without the fixed costs (starting processes, planning, committing).
  const small = [];
  for (const tasks of [TINY_TASKS, 2 * TINY_TASKS]) {
    const file = join(work, `tiny-${tasks}.parquet`);
    await Dataset.fromArray(Array.from({ length: tasks * 100 }, (_, i) => ({ id: i, x: i / 7, y: i % 13 }))).writeParquet(file, { rowGroupSize: 100 });
    small.push(await jobModule(`tiny-${tasks}`, file, `tiny-${tasks}`));
  }
  const big = await jobModule('normalise', `${join(work, 'input')}/*.parquet`, 'normalised');
  const taskCount = (await planJob(defineJob({ name: 'plan', inputs: `${join(work, 'input')}/*.parquet`, output: { dir: work }, pipeline: (ds) => ds }))).tasks.length;

  const results = [];
  for (const workers of [1, 2, 4]) {
    const seconds = await timed(`embedded, ${workers} worker${workers > 1 ? 's' : ''}`, () => runJob(big.module, { workers }), big.out);
    results.push({ mode: `embedded, ${workers} process${workers > 1 ? 'es' : ''}`, seconds });
    note();
  }
  const redis = await LocalRedisServer.start();
  try {
    const seconds = await timed('BullMQ, 3 workers', () => runOnBullmq(redis.url, big.module, 3), big.out);
    results.push({ mode: 'BullMQ, 3 worker processes', seconds });
    note();
    const embeddedTask = [];
    const bullTask = [];
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const [once, twice] = small;
      const embedded = async (job) => timed(`${job.module}, embedded`, () => runJob(job.module, { workers: 1 }), job.out);
      embeddedTask.push(((await embedded(twice)) - (await embedded(once))) / TINY_TASKS);
      const bull = async (job) => timed(`${job.module}, BullMQ`, () => runOnBullmq(redis.url, job.module, 1), job.out);
      bullTask.push(((await bull(twice)) - (await bull(once))) / TINY_TASKS);
    }
    note();
    await report(results, taskCount, median(embeddedTask), median(bullTask), load);
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
    await Promise.all(workers.map((child) => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); })));
  }
}

/** A worker process (like `tsflow job worker`), resolved once it waits for tasks. */
async function startWorkerProcess(url) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    import { startJobWorker } from '@tsflow/jobs';
    const worker = await startJobWorker({ redis: '${url}' });
    process.on('SIGTERM', () => worker.close().then(() => process.exit(0)));
    console.log('ready');`], { cwd: here, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ready) => child.stdout.once('data', ready));
  return child;
}

/** Runs `fn` (which may report its own time), returns seconds, and clears the output folder. */
async function timed(what, fn, out) {
  const started = performance.now();
  const own = await fn();
  const seconds = typeof own === 'number' ? own : (performance.now() - started) / 1000;
  console.error(`${what}: ${seconds.toFixed(2)} s`);
  await rm(out, { recursive: true, force: true });
  return seconds;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function report(results, taskCount, embeddedTask, bullTask, load) {
  const base = results[0].seconds;
  const lines = [
    '# @tsflow/jobs benchmarks',
    '',
    `Measured by \`npm run bench -w @tsflow/jobs\` (packages/jobs/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: Node ${process.version},`,
    `${availableParallelism()} cores; 1-minute load average during the run ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} (other work was sharing the cores).`,
    '',
    `Job: standardise two columns of ${ROWS.toLocaleString('en')} rows in ${FILES} Parquet files (DuckDB-written, row groups of up to 1M rows = ${taskCount} tasks),`,
    'columnar (`batch(65536)` of NDArrays), written as snappy Parquet parts. Wall time to `_SUCCESS`, one run each; the embedded',
    'runs include starting their worker processes, the BullMQ run does not (its workers were already waiting, as in production).',
    '',
    '| mode | seconds | rows/s | speed-up vs 1 process |',
    '|---|---|---|---|',
    ...results.map(({ mode, seconds }) => `| ${mode} | ${seconds.toFixed(1)} | ${(ROWS / seconds / 1e6).toFixed(2)}M | ${(base / seconds).toFixed(2)}× |`),
    '',
    `Per-task cost: jobs of ${TINY_TASKS} and ${2 * TINY_TASKS} tasks of 100 rows (100-row groups), 1 worker; (time of ${2 * TINY_TASKS} - time of ${TINY_TASKS}) / ${TINY_TASKS},`,
    `median of ${REPEATS} repeats. It includes each task's tiny pipeline and commit (the same in both modes); the difference is what BullMQ adds.`,
    '',
    '| mode | ms per task |',
    '|---|---|',
    `| embedded, 1 process | ${(embeddedTask * 1000).toFixed(1)} |`,
    `| BullMQ, 1 worker | ${(bullTask * 1000).toFixed(1)} |`,
    `| BullMQ extra per task | ${((bullTask - embeddedTask) * 1000).toFixed(1)} (${(bullTask / embeddedTask).toFixed(2)}× embedded) |`,
    '',
  ];
  await writeFile(join(here, '..', 'BENCHMARKS.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

await main();
