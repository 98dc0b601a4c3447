import {
  Graph,
  Variable,
  add,
  argMax,
  cast,
  equal,
  matMul,
  mul,
  placeholder,
  reduceMean,
  relu,
  sparseSoftmaxCrossEntropyWithLogits,
  sub,
  ndarray,
  truncatedNormal,
  zeros,
  type Tensor,
} from '@tsflow/core';
import { AdagradOptimizer } from '../optimizers/adagrad.js';
import { AdamOptimizer } from '../optimizers/adam.js';
import { GradientDescentOptimizer } from '../optimizers/gradient_descent.js';
import { MomentumOptimizer } from '../optimizers/momentum.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { RMSPropOptimizer } from '../optimizers/rmsprop.js';
import type { OptimizerName } from './train_config.js';

export interface MlpSpec {
  inputs: number;
  hidden: readonly number[];
  classes: number;
  optimizer: OptimizerName;
  learningRate: number;
  seed: number;
  /** Per-feature mean and deviation baked into the graph (undefined: raw features). */
  standardize?: { mean: Float32Array; std: Float32Array };
}

/** An MLP classifier graph: `features` [?, inputs] → ReLU layers → logits, softmax cross-entropy, accuracy. */
export function buildMlp(spec: MlpSpec): {
  graph: Graph;
  loss: Tensor;
  accuracy: Tensor;
  logits: Tensor;
  optimizer: Optimizer;
} {
  const graph = new Graph();
  graph.seed = spec.seed;
  return graph.asDefault(() => {
    const features = placeholder('float32', [null, spec.inputs], { name: 'features' });
    const labels = placeholder('int32', [null], { name: 'labels' });
    let x: Tensor = features;
    if (spec.standardize) {
      const { mean, std } = spec.standardize;
      x = mul(sub(x, ndarray(mean)), ndarray(std.map((s) => 1 / s)), { name: 'standardized' });
    }
    let width = spec.inputs;
    spec.hidden.forEach((units, i) => {
      x = relu(dense(x, width, units, `hidden_${i + 1}`, 2 * i + 1), { name: `hidden_${i + 1}/relu` });
      width = units;
    });
    const logits = dense(x, width, spec.classes, 'logits', 2 * spec.hidden.length + 1);
    const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels, logits }), undefined, false, {
      name: 'loss',
    });
    const accuracy = reduceMean(cast(equal(cast(argMax(logits, 1), 'int32'), labels), 'float32'), undefined, false, {
      name: 'accuracy',
    });
    return { graph, loss, accuracy, logits, optimizer: makeOptimizer(spec.optimizer, spec.learningRate) };
  });
}

function dense(x: Tensor, inputs: number, units: number, name: string, seed: number): Tensor {
  // He-style scale keeps ReLU activations at a steady size through the layers.
  const kernel = new Variable(truncatedNormal([inputs, units], { stddev: Math.sqrt(2 / inputs), seed }), {
    name: `${name}/kernel`,
  });
  const bias = new Variable(zeros([units]), { name: `${name}/bias` });
  return add(matMul(x, kernel), bias, { name });
}

function makeOptimizer(name: OptimizerName, rate: number): Optimizer {
  switch (name) {
    case 'adam':
      return new AdamOptimizer(rate);
    case 'sgd':
      return new GradientDescentOptimizer(rate);
    case 'momentum':
      return new MomentumOptimizer(rate, 0.9);
    case 'rmsprop':
      return new RMSPropOptimizer(rate);
    case 'adagrad':
      return new AdagradOptimizer(rate);
  }
}
