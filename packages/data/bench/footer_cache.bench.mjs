// Footer cache: one row group of a 200-row-group file read through
// Dataset.fromParquet(file, { rowGroups: [g] }) (as a @tsflow/jobs task does), and
// parquetFileInfo(file), with the footer cache on and off, interleaved in blocks in one process.
// Reports the median ms per call of each and their ratio.
// Usage: node bench/footer_cache.bench.mjs [calls=200] [rowGroups=200]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { Dataset, parquetFileInfo } from '../dist/index.js';
import { configureFooterCache } from '../dist/io/parquet/footer_cache.js';
import { median } from './bench_support.mjs';

const calls = Number(process.argv[2] ?? 200);
const rowGroups = Number(process.argv[3] ?? 200);
const GROUP_ROWS = 256;
const BLOCK = 10;

function generate(dir) {
  const rows = rowGroups * GROUP_ROWS;
  const table = tableFromArrays({
    id: Int32Array.from({ length: rows }, (_, i) => i),
    x0: Float64Array.from({ length: rows }, (_, i) => Math.sin(i)),
    x1: Float32Array.from({ length: rows }, (_, i) => Math.cos(i)),
    label: Int32Array.from({ length: rows }, (_, i) => i % 10),
  });
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.SNAPPY)
    .setMaxRowGroupSize(GROUP_ROWS)
    .build();
  const path = join(dir, `footer-cache-${rowGroups}rg.parquet`);
  writeFileSync(
    path,
    parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties),
  );
  return path;
}

async function readRowGroup(path, group) {
  let rows = 0;
  for await (const batch of Dataset.fromParquet(path, { rowGroups: [group] }).batch(GROUP_ROWS))
    rows += batch.id.shape[0];
  if (rows !== GROUP_ROWS) throw new Error(`read ${rows} rows from row group ${group}`);
}

/** ms per call of `fn(i)` for each mode, interleaved in blocks of BLOCK calls. */
async function interleaved(fn) {
  const times = { on: [], off: [] };
  for (let done = 0; done < calls; done += BLOCK) {
    for (const mode of ['off', 'on']) {
      configureFooterCache(mode === 'on' ? {} : { maxEntries: 0 });
      await fn(done); // warm: the cache's one miss is not timed
      for (let i = done; i < done + BLOCK; i++) {
        const start = performance.now();
        await fn(i);
        times[mode].push(performance.now() - start);
      }
    }
  }
  return { off: median(times.off), on: median(times.on) };
}

const dir = mkdtempSync(join(tmpdir(), 'tsflow-footer-bench-'));
try {
  const path = generate(dir);
  const footerBytes = statSync(path).size;
  console.log(
    `file: ${rowGroups} row groups x ${GROUP_ROWS} rows, 4 columns, ${(footerBytes / 1024).toFixed(0)} KiB; ${calls} calls per mode`,
  );
  for (const [name, fn] of [
    ['fromParquet, one row group', (i) => readRowGroup(path, i % rowGroups)],
    ['parquetFileInfo', () => parquetFileInfo(path)],
  ]) {
    const { off, on } = await interleaved(fn);
    console.log(
      `${name}: cache off ${off.toFixed(2)} ms, on ${on.toFixed(2)} ms (median per call), ${(off / on).toFixed(1)}x`,
    );
  }
} finally {
  configureFooterCache();
  rmSync(dir, { recursive: true, force: true });
}
