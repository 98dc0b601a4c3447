// Cost of Parquet page checks (issue 13): the same 1M-row file with a CRC-32 in every page
// header, read with verifyChecksums on (the default) and off, interleaved rounds, medians.
// The header walk and size limits run either way; the difference is the CRC itself.
// Also the file without CRCs (walk only), for scale.
// Usage: node bench/page_checksums.bench.mjs   (ROUNDS=n to change the 31 rounds)
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { Dataset } from '../dist/index.js';
import { median } from './bench_support.mjs';
import { withPageChecksums } from './page_checksums.mjs';

const ROWS = 1_000_000;
const ROUNDS = Number(process.env.ROUNDS ?? 31);

function generate(path) {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const table = tableFromArrays({
    x0: Float64Array.from({ length: ROWS }, () => random()),
    x1: Float32Array.from({ length: ROWS }, () => random()),
    id: Int32Array.from({ length: ROWS }, (_, i) => i),
    label: Int32Array.from({ length: ROWS }, () => Math.floor(random() * 10)),
  });
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.SNAPPY)
    .setMaxRowGroupSize(131_072)
    .build();
  writeFileSync(
    path,
    parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties),
  );
}

async function timeRead(path, verifyChecksums) {
  const start = performance.now();
  let rows = 0;
  for await (const batch of Dataset.fromParquet(path, { verifyChecksums }).batch(4096)) rows += batch.id.shape[0];
  if (rows !== ROWS) throw new Error(`read ${rows} rows`);
  return performance.now() - start;
}

const dir = mkdtempSync(join(tmpdir(), 'tsflow-crc-bench-'));
try {
  const plain = join(dir, 'plain.parquet');
  generate(plain);
  const checked = join(dir, 'crc.parquet');
  writeFileSync(checked, withPageChecksums(readFileSync(plain)));
  console.log(
    `file: ${ROWS} rows x 4 columns, snappy, ${(statSync(checked).size / 1e6).toFixed(1)} MB, a CRC in every page header`,
  );
  const times = { on: [], off: [], none: [] };
  await timeRead(checked, true); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    times.on.push(await timeRead(checked, true));
    times.off.push(await timeRead(checked, false));
    times.none.push(await timeRead(plain, true));
  }
  const [on, off, none] = [median(times.on), median(times.off), median(times.none)];
  console.log(`  verifyChecksums: true   ${on.toFixed(0)} ms (median of ${ROUNDS})`);
  console.log(`  verifyChecksums: false  ${off.toFixed(0)} ms`);
  console.log(`  file without CRCs       ${none.toFixed(0)} ms`);
  console.log(
    `  checksum cost: ${(((on - off) / off) * 100).toFixed(1)}% of the read (ratio on/off ${(on / off).toFixed(3)})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
