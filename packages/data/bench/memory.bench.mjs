// Backpressure soak: an infinite pipeline (repeat -> shuffle -> async parallel map ->
// prefetch -> batch) consumed slowly-ish for a few million elements; heap is sampled after
// GC-friendly pauses. Bounded stages mean the heap stays flat however long it runs.
import { Dataset } from '../dist/index.js';

const ELEMENTS = Number(process.env.BENCH_ELEMENTS ?? 2_000_000);
const BATCH = 256;
const samples = [];
const ds = Dataset.range(10_000)
  .repeat()
  .shuffle(1_000, { seed: 1 })
  .map(async (x) => x * 2, { parallelism: 8 })
  .prefetch(16)
  .batch(BATCH);

let seen = 0;
const it = ds.iterator();
for await (const batch of it) {
  seen += batch.size;
  if (seen % (BATCH * 400) === 0) {
    await new Promise((resolve) => setImmediate(resolve));
    samples.push(process.memoryUsage().heapUsed / 2 ** 20);
  }
  if (seen >= ELEMENTS) break;
}
const firstQuarter = samples.slice(0, Math.max(1, samples.length >> 2));
const lastQuarter = samples.slice(-Math.max(1, samples.length >> 2));
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `${seen} elements through repeat -> shuffle(1000) -> map(parallelism 8) -> prefetch(16) -> batch(${BATCH})`,
);
console.log(`  heap MB: min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)}`);
console.log(
  `  mean of first quarter ${mean(firstQuarter).toFixed(1)} MB, last quarter ${mean(lastQuarter).toFixed(1)} MB (flat = bounded buffers)`,
);
