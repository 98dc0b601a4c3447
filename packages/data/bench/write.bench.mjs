// Batch-job throughput against DuckDB in the same run: a generated Parquet file (default 5M rows
// x 8 numeric columns: 2 BIGINT, 2 INTEGER, 3 DOUBLE, 1 FLOAT, written by DuckDB) is
//   read       tsflow: fromParquet(f).batch(65536), every batch consumed (the read-only speed)
//   copy       tsflow: fromParquet(f).writeParquet(out)  vs  DuckDB: COPY (SELECT * FROM read_parquet(f)) TO out
//   filter+normalise (keep cat < 500, x0 := (x0 - mean) / std, the rest as is)
//              tsflow columnar: batch(65536).map(filter and normalise the column arrays).writeParquet
//              tsflow rows:     filter(row => ...).map(row => ({ ...row, x0: ... })).writeParquet
//              DuckDB:          COPY (SELECT * REPLACE ((x0 - mean) / std AS x0) FROM read_parquet(f) WHERE cat < 500) TO out
// Each run is its own Node process (peak RSS = its maxRSS, the encoder thread included); cases
// rotate order across repeats; medians of wall time (rows/s) and of CPU time are printed, and
// each tsflow output's column types are compared with the input's through DuckDB's DESCRIBE.
// Usage: node bench/write.bench.mjs [rows=5000000] [repeats=3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { formatRate, median } from './bench_support.mjs';

const CASES = [
  'tsflow read',
  'tsflow copy',
  'duckdb copy',
  'tsflow filter+normalise (columnar)',
  'tsflow filter+normalise (rows)',
  'duckdb filter+normalise',
];
const MEAN = 7142.5;
const STD = 4123.9;

if (process.argv[2] === '--case') await runCase(process.argv[3], process.argv[4], process.argv[5]);
else await main(Number(process.argv[2] ?? 5_000_000), Number(process.argv[3] ?? 3));

async function main(rows, repeats) {
  const dir = mkdtempSync(join(tmpdir(), 'tsflow-write-bench-'));
  try {
    const input = join(dir, 'input.parquet');
    const duckdb = await (await DuckDBInstance.create(':memory:')).connect();
    await duckdb.run(`COPY (SELECT i::BIGINT AS id, (i * 7919) % 1000003 AS k64, (i % 1000)::INTEGER AS cat, (i % 97)::INTEGER AS bucket,
      hash(i) % 100000 / 7.0 AS x0, sin(i) AS x1, cos(i) * 100 AS x2, (i % 13)::FLOAT / 3 AS f0 FROM range(${rows}) t(i)) TO '${input}' (FORMAT parquet)`);
    console.log(
      `input: ${rows} rows x 8 columns (id, k64 BIGINT; cat, bucket INTEGER; x0, x1, x2 DOUBLE; f0 FLOAT), written by DuckDB, ${(statSync(input).size / 1e6).toFixed(0)} MB`,
    );
    const results = Object.fromEntries(CASES.map((name) => [name, []]));
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < CASES.length; i++) {
        const name = CASES[(i + r) % CASES.length];
        const out = join(dir, `out-${i}.parquet`);
        const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--case', name, input, out], {
          encoding: 'utf8',
        });
        if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr}`);
        const result = JSON.parse(child.stdout.trim().split('\n').pop());
        if (name.startsWith('tsflow') && name !== 'tsflow read')
          result.typesKept = (await describe(duckdb, out)) === (await describe(duckdb, input));
        results[name].push(result);
        rmSync(out, { force: true });
      }
    }
    report(results, rows, repeats);
    duckdb.closeSync();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function describe(duckdb, path) {
  const result = await duckdb.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
  return result
    .getRows()
    .map((row) => `${row[0]} ${row[1]}`)
    .join(', ');
}

function report(results, rows, repeats) {
  const wall = (name) => median(results[name].map((r) => r.wall));
  console.log(`\nmedians of ${repeats} runs (each its own process; rows/s over the input's ${rows} rows):`);
  for (const name of CASES) {
    const runs = results[name];
    const cpu = median(runs.map((r) => r.cpu));
    const rss = Math.max(...runs.map((r) => r.rssMB));
    const kept =
      runs[0].typesKept === undefined ? '' : `  types kept: ${runs.every((r) => r.typesKept) ? 'yes' : 'NO'}`;
    console.log(
      `  ${name.padEnd(36)} ${formatRate(rows / wall(name)).padStart(8)} rows/s  wall ${wall(name).toFixed(2)} s  cpu ${cpu.toFixed(2)} s  peak RSS ${rss.toFixed(0)} MB${kept}`,
    );
  }
  const ratio = (a, b) => (wall(b) / wall(a)).toFixed(2);
  console.log(`\n  tsflow copy / tsflow read: ${ratio('tsflow copy', 'tsflow read')}x (target >= 0.7)`);
  console.log(`  tsflow copy / duckdb copy: ${ratio('tsflow copy', 'duckdb copy')}x (target >= 0.5)`);
  console.log(
    `  tsflow filter+normalise (columnar) / duckdb: ${ratio('tsflow filter+normalise (columnar)', 'duckdb filter+normalise')}x`,
  );
  console.log(
    `  tsflow filter+normalise (rows) / duckdb: ${ratio('tsflow filter+normalise (rows)', 'duckdb filter+normalise')}x`,
  );
}

async function runCase(name, input, out) {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  if (name.startsWith('duckdb')) {
    const duckdb = await (await DuckDBInstance.create(':memory:')).connect();
    const select =
      name === 'duckdb copy'
        ? `SELECT * FROM read_parquet('${input}')`
        : `SELECT * REPLACE ((x0 - ${MEAN}) / ${STD} AS x0) FROM read_parquet('${input}') WHERE cat < 500`;
    await duckdb.run(`COPY (${select}) TO '${out}' (FORMAT parquet)`);
    duckdb.closeSync();
  } else {
    const { Dataset } = await import('../dist/index.js');
    const { NDArray } = await import('@tsflow/core');
    const source = Dataset.fromParquet(input);
    if (name === 'tsflow read') {
      let rows = 0;
      for await (const batch of source.batch(65_536)) rows += batch.id.shape[0];
      if (rows === 0) throw new Error(`read no rows from ${input}`);
    } else if (name === 'tsflow copy') {
      await source.writeParquet(out);
    } else if (name === 'tsflow filter+normalise (columnar)') {
      await source
        .batch(65_536)
        .map((batch) => filterNormalise(batch, NDArray))
        .writeParquet(out);
    } else {
      await source
        .filter((row) => row.cat < 500)
        .map((row) => ({ ...row, x0: (row.x0 - MEAN) / STD }))
        .writeParquet(out);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const result = {
    wall: (performance.now() - start) / 1000,
    cpu: (cpu.user + cpu.system) / 1e6,
    rssMB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(result));
}

/** What a user writes for the columnar job: one pass over the batch's typed arrays. */
function filterNormalise(batch, NDArray) {
  const cat = batch.cat.data;
  const keep = new Int32Array(cat.length);
  let kept = 0;
  for (let i = 0; i < cat.length; i++) if (cat[i] < 500) keep[kept++] = i;
  const out = {};
  for (const [name, column] of Object.entries(batch)) {
    const source = column.data;
    const target = new source.constructor(kept);
    if (name === 'x0') for (let k = 0; k < kept; k++) target[k] = (source[keep[k]] - MEAN) / STD;
    else for (let k = 0; k < kept; k++) target[k] = source[keep[k]];
    out[name] = new NDArray(column.dtype, [kept], target);
  }
  return out;
}
