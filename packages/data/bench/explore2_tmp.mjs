import * as pw from 'parquet-wasm';
import { readFileSync, writeFileSync } from 'node:fs';
const f = '/tmp/i14x/5m.parquet';
const buf = readFileSync(f);
let t = performance.now();
const table = pw.readParquet(buf);
console.log('wasm read', ((performance.now() - t)/1000).toFixed(2));
for (const [dict, comp] of [[true, pw.Compression.SNAPPY], [false, pw.Compression.SNAPPY], [false, pw.Compression.UNCOMPRESSED]]) {
  const tb = pw.readParquet(buf);
  const props = new pw.WriterPropertiesBuilder().setCompression(comp).setDictionaryEnabled(dict).setMaxRowGroupSize(65536).build();
  t = performance.now();
  const out = pw.writeParquet(tb, props);
  console.log('wasm write dict', dict, 'comp', comp, ((performance.now() - t)/1000).toFixed(2), out.length);
}
