import {
  Graph,
  InvalidArgumentError,
  Session,
  Variable,
  add,
  argMax,
  cast,
  equal,
  globalVariablesInitializer,
  matMul,
  mul,
  placeholder,
  reduceMean,
  relu,
  sparseSoftmaxCrossEntropyWithLogits,
  truncatedNormal,
  zeros,
  type NDArray,
  type Operation,
  type SessionDevice,
  type Tensor,
} from '@tsflow/core';
import { Dataset, parquetFileInfo } from '@tsflow/data';
import { AdamOptimizer } from '@tsflow/train';
import { fixturePath } from './fixtures.js';

export interface DigitsTrainingOptions {
  /** Parquet file with a `pixels` fixed-size-list<float>[64] column and an integer `label` column. */
  dataPath?: string;
  epochs?: number;
  batchSize?: number;
  hiddenUnits?: number;
  learningRate?: number;
  seed?: number;
  /** Rows used for training; the rest is the held-out test split. */
  trainRows?: number;
  /** Where kernels run: 'cpu' (default), 'gpu' (gpu.js) or 'auto'. */
  device?: SessionDevice;
  log?: (line: string) => void;
}

export interface EpochReport {
  epoch: number;
  meanLoss: number;
  testAccuracy: number;
  seconds: number;
}

export interface DigitsTrainingResult {
  epochs: EpochReport[];
  testAccuracy: number;
  stepsPerSecond: number;
}

interface DigitsModel {
  graph: Graph;
  loss: Tensor;
  accuracy: Tensor;
  trainOp: Operation;
  init: Operation;
}

/** A 64 → hidden → 10 MLP with ReLU, softmax cross-entropy and Adam, as a TF1 graph. */
export function buildDigitsModel(hiddenUnits: number, learningRate: number, seed: number): DigitsModel {
  const graph = new Graph();
  graph.seed = seed;
  return graph.asDefault(() => {
    const pixels = placeholder('float32', [null, 64], { name: 'pixels' });
    const labels = placeholder('int32', [null], { name: 'labels' });
    const x = mul(pixels, 1 / 16); // pixel values are 0..16
    const w1 = new Variable(truncatedNormal([64, hiddenUnits], { stddev: 0.1, seed: 1 }), { name: 'hidden/kernel' });
    const b1 = new Variable(zeros([hiddenUnits]), { name: 'hidden/bias' });
    const w2 = new Variable(truncatedNormal([hiddenUnits, 10], { stddev: 0.1, seed: 2 }), { name: 'logits/kernel' });
    const b2 = new Variable(zeros([10]), { name: 'logits/bias' });
    const hidden = relu(add(matMul(x, w1), b1));
    const logits = add(matMul(hidden, w2), b2, { name: 'logits' });
    const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels, logits }), undefined, false);
    const correct = equal(cast(argMax(logits, 1), 'int32'), labels);
    const accuracy = reduceMean(cast(correct, 'float32'), undefined, false);
    const trainOp = new AdamOptimizer(learningRate).minimize(loss);
    return { graph, loss, accuracy, trainOp, init: globalVariablesInitializer() };
  });
}

interface DigitsBatch {
  pixels: NDArray;
  label: NDArray;
}

/**
 * Trains the digits MLP on the shipped Parquet fixture and reports per-epoch loss and held-out
 * accuracy.
 */
export async function trainDigitsMlp(options: DigitsTrainingOptions = {}): Promise<DigitsTrainingResult> {
  const {
    dataPath = fixturePath('parquet/digits.parquet'),
    epochs = 15,
    batchSize = 64,
    hiddenUnits = 64,
    learningRate = 0.01,
    seed = 42,
    trainRows = 1437,
    device = 'cpu',
    log = (line: string) => console.log(line),
  } = options;
  // Both splits need rows: an empty held-out split would report 0% accuracy, not an error.
  const { numRows } = await parquetFileInfo(dataPath);
  if (!(Number.isInteger(trainRows) && trainRows > 0 && trainRows < numRows)) {
    throw new InvalidArgumentError(
      `trainDigitsMlp: trainRows must be an integer from 1 to ${numRows - 1} ('${dataPath}' has ${numRows} rows), got ${trainRows}`,
    );
  }
  const model = buildDigitsModel(hiddenUnits, learningRate, seed);
  const rows = Dataset.fromParquet(dataPath, { columns: ['pixels', 'label'] });
  const train = rows.take(trainRows).shuffle(2048, { seed }).batch(batchSize) as unknown as Dataset<DigitsBatch>;
  const test = rows.skip(trainRows).batch(1024) as unknown as Dataset<DigitsBatch>;
  log(`pipeline: ${train.summary()}`);
  using session = new Session(model.graph, { device });
  await session.run(model.init);
  const reports: EpochReport[] = [];
  let steps = 0;
  const started = performance.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const epochStart = performance.now();
    let lossSum = 0;
    let batches = 0;
    for await (const batch of train) {
      const [lossValue] = await session.run([model.loss, model.trainOp], { pixels: batch.pixels, labels: batch.label });
      lossSum += lossValue.item();
      batches++;
      steps++;
    }
    const testAccuracy = await evaluateAccuracy(session, model, test);
    const report = { epoch, meanLoss: lossSum / batches, testAccuracy, seconds: (performance.now() - epochStart) / 1000 };
    reports.push(report);
    log(
      `epoch ${String(epoch).padStart(2)}  loss ${report.meanLoss.toFixed(4)}  test accuracy ${(testAccuracy * 100).toFixed(1)}%  (${report.seconds.toFixed(2)} s)`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  return { epochs: reports, testAccuracy: reports[reports.length - 1]?.testAccuracy ?? 0, stepsPerSecond: steps / seconds };
}

async function evaluateAccuracy(session: Session, model: DigitsModel, test: Dataset<DigitsBatch>): Promise<number> {
  let correct = 0;
  let total = 0;
  for await (const batch of test) {
    const n = batch.label.shape[0]!;
    const acc = await session.run(model.accuracy, { pixels: batch.pixels, labels: batch.label });
    correct += acc.item() * n;
    total += n;
  }
  return total === 0 ? 0 : correct / total;
}
