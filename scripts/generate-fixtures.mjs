#!/usr/bin/env node
/**
 * Regenerates test-fixtures/parquet/** and test-fixtures/arrow/** (see test-fixtures/README.md):
 * - real data from ../shared/data (relative to the repo root) as Parquet (snappy) and Arrow IPC;
 * - small per-type / per-codec files written by parquet-wasm (arrow-rs) and by DuckDB, so that
 *   tests read files from a writer other than tsflow's own;
 * - multi-file, schema-mismatch and corrupt files (truncated, bad magic, corrupted page).
 * Deterministic: the same inputs give the same bytes (no timestamps, no randomness).
 *
 * Usage: node scripts/generate-fixtures.mjs   (from anywhere; paths are relative to this file)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  Bool,
  Dictionary,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  Table,
  TimestampMicrosecond,
  Utf8,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { DuckDBInstance } from '@duckdb/node-api';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(repo, '..', 'shared', 'data');
const fixtures = join(repo, 'test-fixtures');
const parquetDir = join(fixtures, 'parquet');
const arrowDir = join(fixtures, 'arrow');

const IRIS_COLUMNS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const WINE_COLUMNS = [
  'alcohol',
  'malic_acid',
  'ash',
  'alcalinity_of_ash',
  'magnesium',
  'total_phenols',
  'flavanoids',
  'nonflavanoid_phenols',
  'proanthocyanins',
  'color_intensity',
  'hue',
  'od280_od315_of_diluted_wines',
  'proline',
];
const BREAST_CANCER_BASE = [
  'radius',
  'texture',
  'perimeter',
  'area',
  'smoothness',
  'compactness',
  'concavity',
  'concave_points',
  'symmetry',
  'fractal_dimension',
];
const BREAST_CANCER_COLUMNS = ['mean', 'error', 'worst'].flatMap((kind) =>
  BREAST_CANCER_BASE.map((name) => `${kind}_${name}`),
);

function readCsv(file, { header }) {
  const raw = file.endsWith('.gz')
    ? gunzipSync(readFileSync(join(shared, file))).toString('utf8')
    : readFileSync(join(shared, file), 'utf8');
  const lines = raw.trim().split('\n');
  return (header ? lines.slice(1) : lines).map((line) => line.split(',').map(Number));
}

/** Feature columns as float64 and the label as int64: what pandas → pyarrow writes. */
function tabularTable(rows, names) {
  const columns = {};
  names.forEach((name, c) => {
    columns[name] = vectorFromArray(Float64Array.from(rows, (row) => row[c]));
  });
  columns.target = vectorFromArray(
    BigInt64Array.from(rows, (row) => BigInt(row[names.length])),
    new Int64(),
  );
  return new Table(columns);
}

function digitsTable(rows) {
  const pixels = vectorFromArray(
    rows.map((row) => row.slice(0, 64)),
    new FixedSizeList(64, new Field('item', new Float32(), false)),
  );
  const label = vectorFromArray(Int32Array.from(rows, (row) => row[64]));
  return new Table({ pixels, label });
}

const CODECS = {
  none: parquetWasm.Compression.UNCOMPRESSED,
  snappy: parquetWasm.Compression.SNAPPY,
  gzip: parquetWasm.Compression.GZIP,
  zstd: parquetWasm.Compression.ZSTD,
};

function parquetBytes(table, { compression = 'snappy', rowGroupSize = 1 << 20 } = {}) {
  const wasmTable = parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream'));
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(CODECS[compression])
    .setMaxRowGroupSize(rowGroupSize)
    .setCreatedBy('tsflow generate-fixtures (parquet-wasm)')
    .build();
  return parquetWasm.writeParquet(wasmTable, properties);
}

function write(path, bytes) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  console.log(`${path.slice(repo.length + 1)}  ${bytes.length} bytes`);
}

/** 40 rows covering every type, with nulls; values are simple functions of the row index. */
function typesTable() {
  const n = 40;
  const idx = Array.from({ length: n }, (_, i) => i);
  return new Table({
    i32: vectorFromArray(
      idx.map((i) => i * 7 - 100),
      new Int32(),
    ),
    i64: vectorFromArray(
      idx.map((i) => BigInt(i) * 1_000_000n),
      new Int64(),
    ),
    f32: vectorFromArray(
      idx.map((i) => i * 0.25),
      new Float32(),
    ),
    f64: vectorFromArray(
      idx.map((i) => (i % 5 === 0 ? null : i / 8)),
      new Float64(),
    ),
    flag: vectorFromArray(
      idx.map((i) => i % 3 === 0),
      new Bool(),
    ),
    name: vectorFromArray(
      idx.map((i) => (i % 7 === 0 ? null : `row-${i}`)),
      new Utf8(),
    ),
    category: vectorFromArray(
      idx.map((i) => ['red', 'green', 'blue'][i % 3]),
      new Dictionary(new Utf8(), new Int32()),
    ),
    ts: vectorFromArray(
      idx.map((i) => (i % 9 === 0 ? null : new Date(Date.UTC(2024, 1, 29, 12) + i * 60_000))),
      new TimestampMicrosecond(),
    ),
    tags: vectorFromArray(
      idx.map((i) => (i % 4 === 0 ? null : Array.from({ length: i % 4 }, (_, k) => i + k))),
      new List(new Field('item', new Int32(), true)),
    ),
    embedding: vectorFromArray(
      idx.map((i) => [i, -i, i / 2]),
      new FixedSizeList(3, new Field('item', new Float32(), true)),
    ),
  });
}

/** The same 40 rows as `typesTable`, written by DuckDB (its own Parquet writer). */
const DUCKDB_TYPES_SQL = `
  SELECT
    (i * 7 - 100)::INTEGER AS i32,
    (i * 1000000)::BIGINT AS i64,
    (i * 0.25)::FLOAT AS f32,
    CASE WHEN i % 5 = 0 THEN NULL ELSE i / 8 END::DOUBLE AS f64,
    (i % 3 = 0) AS flag,
    CASE WHEN i % 7 = 0 THEN NULL ELSE 'row-' || i END AS name,
    ['red', 'green', 'blue'][(i % 3) + 1] AS category,
    CASE WHEN i % 9 = 0 THEN NULL ELSE TIMESTAMP '2024-02-29 12:00:00' + to_minutes(i) END AS ts,
    CASE WHEN i % 4 = 0 THEN NULL ELSE list_transform(range(i % 4), k -> (i + k)::INTEGER) END AS tags,
    [i, -i, i / 2]::FLOAT[3] AS embedding
  FROM range(40) t(i)
  ORDER BY i`;

async function writeDuckdbFixtures() {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const codec of ['uncompressed', 'snappy', 'gzip', 'zstd']) {
    const path = join(parquetDir, 'types', `duckdb_types_${codec}.parquet`);
    mkdirSync(dirname(path), { recursive: true });
    await connection.run(
      `COPY (${DUCKDB_TYPES_SQL}) TO '${path}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 16)`,
    );
    console.log(`${path.slice(repo.length + 1)}  (DuckDB, ${codec})`);
  }
  // int64 values beyond int32: readers must refuse them with the column named.
  const overflow = join(parquetDir, 'types', 'duckdb_int64_overflow.parquet');
  await connection.run(
    `COPY (SELECT i::BIGINT * 4000000000 AS big FROM range(4) t(i)) TO '${overflow}' (FORMAT parquet)`,
  );
  console.log(`${overflow.slice(repo.length + 1)}  (DuckDB)`);
  connection.closeSync();
  instance.closeSync();
}

function corruptCopies(source, dir, name) {
  const bytes = readFileSync(source);
  const truncated = bytes.subarray(0, Math.floor(bytes.length * 0.6));
  write(join(dir, `${name}_truncated${source.slice(source.lastIndexOf('.'))}`), truncated);
  const badMagic = Buffer.from(bytes);
  badMagic.write('JUNK', 0, 'latin1');
  write(join(dir, `${name}_bad_magic${source.slice(source.lastIndexOf('.'))}`), badMagic);
}

async function main() {
  rmSync(parquetDir, { recursive: true, force: true });
  rmSync(arrowDir, { recursive: true, force: true });
  const real = {
    iris: tabularTable(readCsv('iris.csv', { header: true }), IRIS_COLUMNS),
    wine: tabularTable(readCsv('wine_data.csv', { header: true }), WINE_COLUMNS),
    breast_cancer: tabularTable(readCsv('breast_cancer.csv', { header: true }), BREAST_CANCER_COLUMNS),
    digits: digitsTable(readCsv('digits.csv.gz', { header: false })),
  };
  for (const [name, table] of Object.entries(real)) {
    write(join(parquetDir, `${name}.parquet`), parquetBytes(table, { rowGroupSize: name === 'digits' ? 512 : 64 }));
    write(join(arrowDir, `${name}.arrow`), tableToIPC(table, 'file'));
  }
  write(join(arrowDir, 'iris.arrows'), tableToIPC(real.iris, 'stream'));

  // iris in three parts (a file list for globs, shard and interleave).
  for (let part = 0; part < 3; part++) {
    write(
      join(parquetDir, 'parts', `iris-part-${part}.parquet`),
      parquetBytes(real.iris.slice(part * 50, part * 50 + 50)),
    );
  }

  for (const codec of Object.keys(CODECS)) {
    write(
      join(parquetDir, 'types', `types_${codec}.parquet`),
      parquetBytes(typesTable(), { compression: codec, rowGroupSize: 16 }),
    );
  }
  write(join(arrowDir, 'types.arrow'), tableToIPC(typesTable(), 'file'));
  await writeDuckdbFixtures();

  // Schema mismatch across files: same column name, different types.
  write(
    join(parquetDir, 'mismatch', 'a.parquet'),
    parquetBytes(new Table({ x: vectorFromArray([1, 2, 3], new Float64()) })),
  );
  write(
    join(parquetDir, 'mismatch', 'b.parquet'),
    parquetBytes(new Table({ x: vectorFromArray(['1', '2', '3'], new Utf8()) })),
  );

  // Corrupt files.
  const corrupt = join(parquetDir, 'corrupt');
  corruptCopies(join(parquetDir, 'iris.parquet'), corrupt, 'iris');
  const page = Buffer.from(readFileSync(join(parquetDir, 'iris.parquet')));
  page.fill(0xff, 4, 24); // the first page header of the first column chunk
  write(join(corrupt, 'iris_corrupt_page.parquet'), page);
  corruptCopies(join(arrowDir, 'iris.arrow'), join(arrowDir, 'corrupt'), 'iris');
}

await main();
