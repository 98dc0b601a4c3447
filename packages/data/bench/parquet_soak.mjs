// Memory soak: a Parquet file at least 10x larger than the V8 heap limit is written and then
// streamed, each in a child process started with --max-old-space-size=HEAP_MB, proving that
// both writeParquet and fromParquet(...).batch(1024) run in bounded memory. Reports rows, file
// size, and the peak heap / RSS each child saw; deletes the file afterwards.
// Usage: node bench/parquet_soak.mjs [heapMB=64]      (npm run soak; needs ../dist: build first)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COLUMNS = 8; // float64 columns of random values: ~8 bytes per value even after snappy
const ROW_GROUP = 65_536;
const self = fileURLToPath(import.meta.url);

/** Peak memory seen by polling (GC makes heapUsed saw-tooth; the peak is what matters). */
function memoryTracker() {
  const peak = { heapUsedMB: 0, rssMB: 0 };
  const sample = () => {
    const { heapUsed, rss } = process.memoryUsage();
    peak.heapUsedMB = Math.max(peak.heapUsedMB, heapUsed / 2 ** 20);
    peak.rssMB = Math.max(peak.rssMB, rss / 2 ** 20);
  };
  const timer = setInterval(sample, 20);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

async function writeChild(path, rows) {
  const { Dataset } = await import('../dist/index.js');
  const memory = memoryTracker();
  const batchRows = 8192;
  // Full-precision random doubles: snappy can't shrink them, so the file size is predictable.
  const random = Math.random;
  const { ndarray } = await import('@tsflow/core');
  // Columns are float64 in the file: JS numbers are written as Float64; batches of them here.
  const dataset = Dataset.range(Math.ceil(rows / batchRows)).map((b) => {
    const n = Math.min(batchRows, rows - b * batchRows);
    const batch = {
      row: ndarray(
        Int32Array.from({ length: n }, (_, i) => b * batchRows + i),
        { dtype: 'int32' },
      ),
    };
    for (let c = 0; c < COLUMNS; c++) batch[`x${c}`] = Array.from({ length: n }, random);
    return batch;
  });
  const result = await dataset.writeParquet(path, { rowGroupSize: ROW_GROUP, compression: 'snappy' });
  return { rows: result.rows, ...memory.stop() };
}

async function readChild(path) {
  const { Dataset } = await import('../dist/index.js');
  const memory = memoryTracker();
  let rows = 0;
  let checksum = 0;
  for await (const batch of Dataset.fromParquet(path).batch(1024)) {
    rows += batch.row.shape[0];
    checksum += batch.x0.data[0];
  }
  return { rows, checksum: Number(checksum.toFixed(3)), ...memory.stop() };
}

function runChild(mode, heapMB, args) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [`--max-old-space-size=${heapMB}`, self, mode, ...args], {
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) {
    console.error(child.stdout, child.stderr);
    throw new Error(`${mode} child exited with ${child.status ?? child.signal}`);
  }
  return { ...JSON.parse(child.stdout.trim().split('\n').pop()), seconds };
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === '--write') return console.log(JSON.stringify(await writeChild(args[0], Number(args[1]))));
  if (mode === '--read') return console.log(JSON.stringify(await readChild(args[0])));

  const heapMB = Number(mode ?? 64);
  const targetBytes = heapMB * 2 ** 20 * 10.5;
  const rows = Math.ceil(targetBytes / (COLUMNS * 8 + 4) / ROW_GROUP) * ROW_GROUP;
  const dir = mkdtempSync(join(tmpdir(), 'tsflow-soak-'));
  const path = join(dir, 'soak.parquet');
  try {
    console.log(
      `heap limit ${heapMB} MB; writing ${rows} rows x ${COLUMNS + 1} columns in ${ROW_GROUP}-row groups ...`,
    );
    const written = runChild('--write', heapMB, [path, String(rows)]);
    const size = statSync(path).size;
    console.log(
      `write: ${written.rows} rows, ${(size / 2 ** 20).toFixed(0)} MB file (${(size / (heapMB * 2 ** 20)).toFixed(1)}x the heap limit) in ${written.seconds.toFixed(1)} s; peak heapUsed ${written.heapUsedMB.toFixed(0)} MB, peak RSS ${written.rssMB.toFixed(0)} MB`,
    );
    const read = runChild('--read', heapMB, [path]);
    console.log(
      `read:  ${read.rows} rows in ${read.seconds.toFixed(1)} s (${(read.rows / read.seconds / 1e6).toFixed(2)} M rows/s); peak heapUsed ${read.heapUsedMB.toFixed(0)} MB, peak RSS ${read.rssMB.toFixed(0)} MB`,
    );
    if (size < heapMB * 2 ** 20 * 10) throw new Error(`file is only ${size} bytes, not 10x the heap`);
    if (read.rows !== rows || written.rows !== rows)
      throw new Error(`row count mismatch: wrote ${written.rows}, read ${read.rows}, expected ${rows}`);
    console.log('soak: OK');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
