// Trainer.fit vs a hand-written loop over the same session, graph and Dataset, in one run.
// Usage: node bench/trainer_overhead.bench.mjs [repeats=9] [epochs=4]
// The model is the main job's (64 -> 128 -> 10 MLP, Adam, batches of 32, accuracy metric) on
// synthetic rows. The hand loop does what a careful user writes: one session.run of
// [loss, accuracy, trainOp] per batch and example-weighted means. Both variants alternate
// within each repeat; the report is the median time per step of each and their ratio, in CPU
// time of this process (user + system, what the work itself costs, little moved by other load
// on a shared machine) and in wall time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Session, ndarray } from '@tsflow/core';
import { Dataset } from '@tsflow/data';
import { Trainer, buildMlp } from '@tsflow/train';

const repeats = Number(process.argv[2] ?? 9);
const epochs = Number(process.argv[3] ?? 4);
const rows = 1440;
let seed = 1;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 16;
const x = new Float32Array(rows * 64).map(random);
const y = new Int32Array(rows).map((_, r) => Math.floor(x[r * 64] / 1.6));
// Batches prepared once: both variants pull the same NDArrays through the same Dataset stage.
const batches = [];
for (let r = 0; r < rows; r += 32)
  batches.push({
    x: ndarray(x.subarray(r * 64, (r + 32) * 64), { shape: [32, 64] }),
    y: ndarray(y.subarray(r, r + 32)),
  });
const dataset = Dataset.fromArray(batches);
const stepsPerRun = batches.length * epochs;

const model = buildMlp({ inputs: 64, hidden: [128], classes: 10, optimizer: 'adam', learningRate: 0.003, seed: 1 });
// One thread: a pool's waiting threads would add CPU time unrelated to the trainer (and this MLP is too small to split).
const session = new Session(model.graph, { threads: 1 });
const trainer = new Trainer({
  session,
  loss: model.loss,
  optimizer: model.optimizer,
  metrics: { accuracy: model.accuracy },
  feeds: (batch) => ({ features: batch.x, labels: batch.y }),
});
await trainer.initializeVariables();

async function handLoop() {
  const fetches = [model.loss, model.accuracy, trainer.trainOp];
  for (let epoch = 0; epoch < epochs; epoch++) {
    let lossSum = 0;
    let accuracySum = 0;
    let examples = 0;
    for await (const batch of dataset) {
      const [loss, accuracy] = await session.run(fetches, { features: batch.x, labels: batch.y });
      const n = batch.y.shape[0];
      lossSum += loss.item() * n;
      accuracySum += accuracy.item() * n;
      examples += n;
    }
    if (!Number.isFinite(lossSum / examples + accuracySum / examples)) throw new Error('diverged');
  }
}

const logdir = await mkdtemp(join(tmpdir(), 'tsflow-bench-'));
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const variants = {
  'hand-written loop': handLoop,
  'Trainer.fit (progress off)': () => trainer.fit(dataset, { epochs, progress: false }),
  'Trainer.fit (progress lines)': () => trainer.fit(dataset, { epochs, progress: 'lines', progressStream: sink }),
  // One new event file per fit (graph, step scalars every 10 steps, epoch means, weight histograms).
  'Trainer.fit (progress lines + TensorBoard logs)': () =>
    trainer.fit(dataset, { epochs, progress: 'lines', progressStream: sink, logdir }),
};

const times = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const cpuTimes = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (const run of Object.values(variants)) await run(); // warm-up: plans cached, JIT warm
const entries = Object.entries(variants);
for (let r = 0; r < repeats; r++) {
  // Rotating the order keeps any after-effect of one variant (GC debt) off any single other.
  for (const [name, run] of [...entries.slice(r % entries.length), ...entries.slice(0, r % entries.length)]) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await run();
    const cpu = process.cpuUsage(cpuStarted);
    times[name].push((performance.now() - started) / stepsPerRun);
    cpuTimes[name].push((cpu.user + cpu.system) / 1000 / stepsPerRun);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const line = (name, table) => {
  const m = median(table[name]);
  const base = median(table['hand-written loop']);
  return `${(m * 1000).toFixed(1).padStart(7)} µs/step (${((m / base - 1) * 100).toFixed(1).padStart(5)}%)`;
};
console.log(
  `trainer overhead: ${stepsPerRun} steps per run, median of ${repeats} runs per variant (interleaved, rotating order)`,
);
for (const name of Object.keys(variants))
  console.log(`  ${name.padEnd(48)} cpu ${line(name, cpuTimes)}   wall ${line(name, times)}`);
session.close();
await rm(logdir, { recursive: true, force: true });
