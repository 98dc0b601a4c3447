import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, statSync } from 'node:fs';
import { Dataset } from '/work/wt/i14/packages/data/dist/index.js';
const f = '/tmp/i14x/5m.parquet';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const rows = Number(process.argv[2] ?? 5_000_000);
if (!existsSync(f)) {
  let t = performance.now();
  await c.run(`COPY (SELECT i::BIGINT AS id, (i * 7919) % 1000003 AS k64, (i % 1000)::INTEGER AS cat, (i % 97)::INTEGER AS bucket,
     hash(i) % 100000 / 7.0 AS x0, sin(i) AS x1, cos(i)*100 AS x2, (i % 13)::FLOAT / 3 AS f0 FROM range(${rows}) t(i)) TO '${f}' (FORMAT parquet)`);
  console.log('gen', performance.now() - t, statSync(f).size);
}
const time = async (label, fn) => { const t = performance.now(); const r = await fn(); const s = (performance.now() - t) / 1000; console.log(label, s.toFixed(2), 's', (rows / s / 1e6).toFixed(2), 'M rows/s', r ?? ''); };
await time('duckdb copy', () => c.run(`COPY (SELECT * FROM read_parquet('${f}')) TO '/tmp/i14x/out-duck.parquet' (FORMAT parquet)`));
await time('read chunks batch(65536)', async () => { let n = 0; for await (const b of Dataset.fromParquet(f).batch(65536)) n += b.id.shape[0]; return n; });
await time('pass-through', () => Dataset.fromParquet(f).writeParquet('/tmp/i14x/out-ts.parquet').then(r => r.rows));
const d = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('/tmp/i14x/out-ts.parquet')`);
console.log(d.getRows().map(x => `${x[0]}:${x[1]}`).join(' '));
