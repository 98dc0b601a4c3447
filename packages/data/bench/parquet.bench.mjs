// Parquet read throughput: 1M rows x 6 columns → Dataset.fromParquet(...).batch(1024), rows/s
// for each engine in the same run (default = parquet-wasm, hyparquet, parquetjs-lite), all
// columns and a 2-column projection. The file is generated once into a temp dir, without
// dictionary pages and as format v1 so that parquetjs-lite can read it too.
// Then the default engine with its decode threads off (1 core) and on (2 cores), interleaved,
// and with --baseline DIR the same two of another build (DIR: a checkout whose packages/data/dist
// is built) in the same rounds, so a change is measured against the code before it.
// Usage: node bench/parquet.bench.mjs [--full] [--threads-only] [--rounds N] [--baseline DIR]
// (--full: parquetjs-lite reads the whole file; by default it reads the first row group, 131072
// rows, as it needs minutes for 1M rows here; --threads-only: only the 1 vs 2 cores section)
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Dataset } from '../dist/index.js';
import { formatRate, median, timeRepeated } from './bench_support.mjs';

const ROWS = 1_000_000;
const ROW_GROUP = 131_072;
const full = process.argv.includes('--full');
const threadsOnly = process.argv.includes('--threads-only');
const option = (name) => {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
};
const rounds = Number(option('--rounds') ?? 11);
const baselineDir = option('--baseline');

function generate(dir) {
  const path = join(dir, 'bench-1m.parquet');
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.SNAPPY)
    .setDictionaryEnabled(false)
    .setWriterVersion(parquetWasm.WriterVersion.V1)
    .setMaxRowGroupSize(ROW_GROUP)
    .build();
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const table = tableFromArrays({
    x0: Float64Array.from({ length: ROWS }, () => random()),
    x1: Float64Array.from({ length: ROWS }, () => random() * 100),
    x2: Float32Array.from({ length: ROWS }, () => random()),
    x3: Float32Array.from({ length: ROWS }, () => random() - 0.5),
    id: Int32Array.from({ length: ROWS }, (_, i) => i),
    label: Int32Array.from({ length: ROWS }, () => Math.floor(random() * 10)),
  });
  writeFileSync(
    path,
    parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties),
  );
  return path;
}

async function consume(dataset) {
  let rows = 0;
  for await (const batch of dataset) rows += batch.label?.shape[0] ?? batch.x0.shape[0];
  return rows;
}

/**
 * Full scan → batch(1024) with `decodeThread` off and on (and the same of the baseline build),
 * each round in a rotated order, so load changes hit all alike. Wall time is the figure (the
 * point is using a second core); the fastest round shows what an idle machine gives. CPU time
 * (all threads of the process, GC helpers included) says what the second core costs, and is
 * moved less by other processes than wall time.
 */
async function compareDecodeThread(path) {
  const variants = [
    { label: 'decode on the main thread (1 core)', Dataset, decodeThread: false },
    { label: 'decode threads (2 cores)', Dataset, decodeThread: true },
  ];
  if (baselineDir !== undefined) {
    const url = pathToFileURL(join(baselineDir, 'packages/data/dist/index.js')).href;
    const baseline = (await import(url)).Dataset;
    variants.push(
      { label: 'baseline: main thread (1 core)', Dataset: baseline, decodeThread: false },
      { label: 'baseline: decode thread (2 cores)', Dataset: baseline, decodeThread: true },
    );
  }
  const scan = async ({ Dataset: Source, decodeThread }) => {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const rows = await consume(Source.fromParquet(path, { decodeThread }).batch(1024));
    if (rows !== ROWS) throw new Error(`read ${rows} rows, expected ${ROWS}`);
    const cpu = process.cpuUsage(cpuStart);
    return { wall: performance.now() - start, cpu: (cpu.user + cpu.system) / 1000 };
  };
  // Untimed: starts the decode workers and warms up every variant.
  for (const variant of variants) await scan(variant);
  const times = variants.map(() => []);
  const cpuTimes = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (round + k) % variants.length;
      const { wall, cpu } = await scan(variants[index]);
      times[index].push(wall);
      cpuTimes[index].push(cpu);
    }
  }
  const medians = times.map(median);
  console.log(
    `\nall 6 columns → batch(1024), parquet-wasm, ${rounds} rotated rounds (wall ms; CPU ms of all threads):`,
  );
  for (const [i, { label }] of variants.entries()) {
    console.log(
      `  ${label.padEnd(36)} median ${medians[i].toFixed(0)}, fastest ${Math.min(...times[i]).toFixed(0)}; CPU median ${median(cpuTimes[i]).toFixed(0)}`,
    );
  }
  const ratio = (a, b) => `${(medians[a] / medians[b]).toFixed(2)}x`;
  console.log(`  2 cores / 1 core: ${ratio(0, 1)} (median)`);
  if (baselineDir !== undefined) {
    console.log(`  baseline 2 cores / 1 core: ${ratio(2, 3)}; this build's 2 cores / baseline 1 core: ${ratio(2, 1)}`);
    console.log(`  this build / baseline: 1 core ${ratio(2, 0)}, 2 cores ${ratio(3, 1)}`);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tsflow-parquet-bench-'));
try {
  const path = generate(dir);
  console.log(
    `file: ${ROWS} rows x 6 columns (4 float, 2 int32), ${ROW_GROUP}-row groups, snappy, ${(statSync(path).size / 1e6).toFixed(1)} MB`,
  );
  const cases = [
    { engine: 'auto', label: 'parquet-wasm (default)', repeats: 5 },
    { engine: 'hyparquet', label: 'hyparquet', repeats: 3 },
    { engine: 'parquetjs-lite', label: 'parquetjs-lite', repeats: 1, rowGroups: full ? undefined : [0] },
  ];
  for (const columns of threadsOnly ? [] : [undefined, ['x0', 'label']]) {
    console.log(`\n${columns ? `projection columns=[${columns.join(', ')}]` : 'all 6 columns'} → batch(1024):`);
    let baseline;
    for (const { engine, label, repeats, rowGroups } of cases) {
      const dataset = Dataset.fromParquet(path, { engine, columns, rowGroups }).batch(1024);
      let rows = 0;
      const times = await timeRepeated(
        async () => {
          rows = await consume(dataset);
        },
        { warmup: repeats > 1 ? 1 : 0, repeats },
      );
      const rate = rows / (median(times) / 1000);
      baseline ??= rate;
      const ratio = rate === baseline ? '' : `  (default is ${(baseline / rate).toFixed(1)}x faster)`;
      console.log(
        `  ${label.padEnd(24)} ${formatRate(rate)} rows/s  median of ${repeats} over ${rows} rows: ${median(times).toFixed(0)} ms${ratio}`,
      );
    }
  }
  await compareDecodeThread(path);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
