import {
  Graph,
  Session,
  Variable,
  add,
  globalVariablesInitializer,
  matMul,
  placeholder,
  reduceMean,
  sparseSoftmaxCrossEntropyWithLogits,
  zeros,
} from '@tsflow/core';
import { Dataset, featureMatrix } from '@tsflow/data';
import { AdamOptimizer } from '@tsflow/train';
import { fixturePath } from './fixtures.js';

interface Iris {
  sepal_length: number;
  sepal_width: number;
  petal_length: number;
  petal_width: number;
  target: number;
}

/** Softmax regression on iris straight from Parquet: the README's code sample, kept runnable. */
export async function trainIrisSoftmax(epochs = 60): Promise<number[]> {
  const g = new Graph();
  const { loss, train, init } = g.asDefault(() => {
    const x = placeholder('float32', [null, 4], { name: 'x' });
    const y = placeholder('int32', [null], { name: 'y' });
    const w = new Variable(zeros([4, 3]), { name: 'w' });
    const b = new Variable(zeros([3]), { name: 'b' });
    const logits = add(matMul(x, w), b);
    const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels: y, logits }));
    return { loss, train: new AdamOptimizer(0.05).minimize(loss), init: globalVariablesInitializer() };
  });
  using sess = new Session(g);
  await sess.run(init);
  const batches = Dataset.fromParquet<Iris>(fixturePath('parquet/iris.parquet'))
    .shuffle(150, { seed: 1 })
    .batch(32)
    .map(featureMatrix(['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], { as: 'x' }));
  const epochLosses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    let sum = 0;
    let n = 0;
    for await (const { x, target } of batches) {
      const [lossValue] = await sess.run([loss, train], { x, y: target });
      sum += lossValue.item();
      n++;
    }
    epochLosses.push(sum / n);
  }
  return epochLosses;
}
