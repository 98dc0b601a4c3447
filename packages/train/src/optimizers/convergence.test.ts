import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  Session,
  ndarray,
  type Tensor,
  Variable,
  add,
  argMax,
  cast,
  equal,
  globalVariablesInitializer,
  matMul,
  placeholder,
  reduceMean,
  relu,
  sigmoidCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  truncatedNormal,
  zeros,
} from '@tsflow/core';
import {
  AdagradOptimizer,
  AdamOptimizer,
  GradientDescentOptimizer,
  MomentumOptimizer,
  type Optimizer,
  RMSPropOptimizer,
  getOrCreateGlobalStep,
} from '../index.js';
import { type LabelledData, loadFixture, shuffleRows, sliceRows, standardize } from '../test_support/csv_datasets.js';

/*
 * End-to-end training on real data: the gradients, the fused optimizer kernels and the Session
 * together, driven the TF1 way with session.run([loss, trainOp], feeds) in a loop.
 */

interface Model {
  graph: Graph;
  x: Tensor;
  y: Tensor;
  loss: Tensor;
  accuracy: Tensor;
  trainOp: ReturnType<Optimizer['minimize']>;
  globalStep: Variable;
}

function softmaxClassifier(
  features: number,
  classes: number,
  hidden: number | null,
  optimizer: () => Optimizer,
): Model {
  const graph = new Graph();
  return graph.asDefault(() => {
    const x = placeholder('float32', [null, features], { name: 'x' });
    const y = placeholder('int32', [null], { name: 'y' });
    let h: Tensor = x;
    let width = features;
    if (hidden !== null) {
      const w1 = new Variable(truncatedNormal([features, hidden], { stddev: 0.1, seed: 1 }), { name: 'w1' });
      const b1 = new Variable(zeros([hidden]), { name: 'b1' });
      h = relu(add(matMul(x, w1), b1));
      width = hidden;
    }
    const w = new Variable(zeros([width, classes]), { name: 'w' });
    const b = new Variable(zeros([classes]), { name: 'b' });
    const logits = add(matMul(h, w), b);
    const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels: y, logits }));
    const accuracy = reduceMean(cast(equal(argMax(logits, 1), y), 'float32'));
    const globalStep = getOrCreateGlobalStep();
    const trainOp = optimizer().minimize(loss, { globalStep });
    return { graph, x, y, loss, accuracy, trainOp, globalStep };
  });
}

async function train(model: Model, data: LabelledData, steps: number, batchSize?: number) {
  const session = new Session(model.graph);
  await session.run(model.graph.asDefault(() => globalVariablesInitializer()));
  const rows = data.labels.size;
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const start = batchSize ? (step * batchSize) % (rows - batchSize + 1) : 0;
    const end = batchSize ? start + batchSize : rows;
    const feeds = new Map<Tensor, NDArray>([
      [model.x, sliceRows(data.features, start, end)],
      [model.y, sliceRows(data.labels, start, end)],
    ]);
    const [lossValue] = (await session.run([model.loss, model.trainOp], feeds)) as [NDArray, null];
    losses.push(lossValue.item());
  }
  const evaluate = async (d: LabelledData) => {
    const feeds = new Map<Tensor, NDArray>([
      [model.x, d.features],
      [model.y, d.labels],
    ]);
    const [loss, accuracy] = (await session.run([model.loss, model.accuracy], feeds)) as NDArray[];
    return { loss: loss!.item(), accuracy: accuracy!.item() };
  };
  const step = ((await session.run(model.globalStep)) as NDArray).item();
  return { losses, evaluate, step, close: () => session.close() };
}

function split(data: LabelledData, trainRows: number): [LabelledData, LabelledData] {
  const rows = data.labels.size;
  const part = (a: number, b: number): LabelledData => ({
    features: sliceRows(data.features, a, b),
    labels: sliceRows(data.labels, a, b),
    classCount: data.classCount,
  });
  return [part(0, trainRows), part(trainRows, rows)];
}

function prepared(name: 'iris' | 'wine' | 'digits'): LabelledData {
  const raw = shuffleRows(loadFixture(name), 42);
  return { ...raw, features: standardize(raw.features) };
}

describe('training converges on real data', () => {
  it('softmax logistic regression on iris (gradient descent)', async () => {
    const [trainSet, testSet] = split(prepared('iris'), 120);
    const model = softmaxClassifier(4, 3, null, () => new GradientDescentOptimizer(0.5));
    const run = await train(model, trainSet, 300);
    expect(run.losses[0]).toBeCloseTo(Math.log(3), 4); // zero weights: uniform predictions
    expect(run.losses.at(-1)!).toBeLessThan(0.2 * run.losses[0]!);
    expect((await run.evaluate(trainSet)).accuracy).toBeGreaterThan(0.93);
    expect((await run.evaluate(testSet)).accuracy).toBeGreaterThanOrEqual(0.9);
    expect(run.step).toBe(300);
    run.close();
  });

  it('binary logistic regression (setosa vs rest) on iris with sigmoid cross-entropy (Adam)', async () => {
    const data = prepared('iris');
    const graph = new Graph();
    const { x, y, loss, logits, trainOp } = graph.asDefault(() => {
      const x = placeholder('float32', [null, 4], { name: 'x' });
      const y = placeholder('float32', [null, 1], { name: 'y' });
      const w = new Variable(zeros([4, 1]), { name: 'w' });
      const b = new Variable(zeros([1]), { name: 'b' });
      const logits = add(matMul(x, w), b);
      const loss = reduceMean(sigmoidCrossEntropyWithLogits({ labels: y, logits }));
      return { x, y, loss, logits, trainOp: new AdamOptimizer(0.1).minimize(loss) };
    });
    const isSetosa = new Float32Array(150).map((_, i) => (data.labels.data[i] === 0 ? 1 : 0));
    const feeds = new Map<Tensor, NDArray>([
      [x, data.features],
      [y, ndarray(isSetosa, { shape: [150, 1] })],
    ]);
    const session = new Session(graph);
    await session.run(graph.asDefault(() => globalVariablesInitializer()));
    const losses: number[] = [];
    for (let step = 0; step < 100; step++) {
      const [value] = (await session.run([loss, trainOp], feeds)) as [NDArray, null];
      losses.push(value.item());
    }
    expect(losses[0]).toBeCloseTo(Math.log(2), 4);
    expect(losses.at(-1)!).toBeLessThan(0.05);
    const predicted = ((await session.run(logits, feeds)) as NDArray).data;
    const correct = isSetosa.filter((label, i) => (predicted[i]! > 0 ? 1 : 0) === label).length;
    expect(correct).toBe(150); // setosa is linearly separable
    session.close();
  });

  it('2-layer MLP on digits (Adam, mini-batches): held-out accuracy above 90%', async () => {
    const [trainSet, testSet] = split(prepared('digits'), 1500);
    const model = softmaxClassifier(64, 10, 32, () => new AdamOptimizer(0.01));
    const run = await train(model, trainSet, 300, 100);
    const initial = run.losses[0]!;
    expect(initial).toBeCloseTo(Math.log(10), 3);
    const trained = await run.evaluate(trainSet);
    expect(trained.loss).toBeLessThan(0.1 * initial);
    expect(trained.accuracy).toBeGreaterThan(0.97);
    expect((await run.evaluate(testSet)).accuracy).toBeGreaterThan(0.9);
    run.close();
  });

  it.each([
    ['Momentum', () => new MomentumOptimizer(0.05, 0.9)],
    ['Nesterov momentum', () => new MomentumOptimizer(0.05, 0.9, { useNesterov: true })],
    ['RMSProp', () => new RMSPropOptimizer(0.01)],
    ['centered RMSProp with momentum', () => new RMSPropOptimizer(0.005, { momentum: 0.5, centered: true })],
    ['Adagrad', () => new AdagradOptimizer(0.3)],
    ['Adam', () => new AdamOptimizer(0.05)],
  ] as const)('2-layer MLP on wine with %s', async (_name, optimizer) => {
    const [trainSet, testSet] = split(prepared('wine'), 140);
    const model = softmaxClassifier(13, 3, 16, optimizer);
    const run = await train(model, trainSet, 100);
    expect(run.losses.at(-1)!).toBeLessThan(0.25 * run.losses[0]!);
    expect((await run.evaluate(trainSet)).accuracy).toBeGreaterThan(0.95);
    expect((await run.evaluate(testSet)).accuracy).toBeGreaterThan(0.85);
    run.close();
  });
});
