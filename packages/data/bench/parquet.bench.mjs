// Parquet read throughput: 1M rows x 6 columns → Dataset.fromParquet(...).batch(1024), rows/s
// for each engine in the same run (default = parquet-wasm, hyparquet, parquetjs-lite), all
// columns and a 2-column projection. The file is generated once into a temp dir, without
// dictionary pages and as format v1 so that parquetjs-lite can read it too.
// Then the default engine with its decode thread off (1 core) and on (2 cores), interleaved.
// Usage: node bench/parquet.bench.mjs [--full]   (--full: parquetjs-lite reads the whole file;
// by default it reads the first row group, 131072 rows, as it needs minutes for 1M rows here)
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { performance } from 'node:perf_hooks';
import { Dataset } from '../dist/index.js';
import { formatRate, median, timeRepeated } from './bench_support.mjs';

const ROWS = 1_000_000;
const ROW_GROUP = 131_072;
const full = process.argv.includes('--full');

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
 * Full scan → batch(1024) with `decodeThread` off and on, alternating which goes first, so load
 * changes hit both alike. Wall time is the figure (the point is using a second core); the
 * fastest round shows what an idle machine gives.
 */
async function compareDecodeThread(path, rounds = 11) {
  const times = { false: [], true: [] };
  for (let round = 0; round < rounds; round++) {
    for (const threaded of round % 2 ? [true, false] : [false, true]) {
      const start = performance.now();
      const rows = await consume(Dataset.fromParquet(path, { decodeThread: threaded }).batch(1024));
      if (rows !== ROWS) throw new Error(`read ${rows} rows, expected ${ROWS}`);
      times[threaded].push(performance.now() - start);
    }
  }
  const [one, two] = [median(times.false), median(times.true)];
  const [oneMin, twoMin] = [Math.min(...times.false), Math.min(...times.true)];
  console.log(`\nall 6 columns → batch(1024), parquet-wasm, ${rounds} interleaved rounds (wall ms):`);
  console.log(`  decode on the main thread (1 core)      median ${one.toFixed(0)}, fastest ${oneMin.toFixed(0)}`);
  console.log(`  decode thread, one row group ahead (2)  median ${two.toFixed(0)}, fastest ${twoMin.toFixed(0)}`);
  console.log(
    `  2 cores / 1 core: ${(one / two).toFixed(2)}x (median), ${(oneMin / twoMin).toFixed(2)}x (fastest rounds)`,
  );
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
  for (const columns of [undefined, ['x0', 'label']]) {
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
