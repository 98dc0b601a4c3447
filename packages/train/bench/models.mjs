// The two training benchmarks' models, built the same way in tsflow and in TensorFlow.js, and
// their deterministic inputs (not a bench itself: run.mjs only runs *.bench.mjs).
//   MLP: 784-128-10, ReLU, batch 128, sparse softmax cross-entropy, Adam.
//   CNN: 28x28x1 batch 64, conv3x3x32 SAME + ReLU, maxPool 2, conv3x3x64 SAME + ReLU, maxPool 2,
//        dense 10, sparse softmax cross-entropy, Adam.
/** Floats in [-scale, scale) from an LCG, so every run (and every system) sees the same values. */
export function lcgFloats(length, seed, scale = 0.5) {
  const data = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return data;
}

function lcgLabels(length, seed, classes) {
  const data = new Int32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s % classes;
  }
  return data;
}

/** Shapes of every parameter (Glorot-like scales) and of one batch, per model. */
export const MODELS = {
  mlp: {
    batch: 128,
    inputShape: [784],
    params: { w1: [784, 128], b1: [128], w2: [128, 10], b2: [10] },
  },
  cnn: {
    batch: 64,
    inputShape: [28, 28, 1],
    params: { c1: [3, 3, 1, 32], cb1: [32], c2: [3, 3, 32, 64], cb2: [64], wd: [7 * 7 * 64, 10], bd: [10] },
  },
};

export function initialValues(model) {
  const values = {};
  let seed = 11;
  for (const [name, shape] of Object.entries(MODELS[model].params)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const fanIn = shape.length === 1 ? 1 : shape.slice(0, -1).reduce((a, b) => a * b, 1);
    values[name] = {
      shape,
      data: shape.length === 1 ? new Float32Array(size) : lcgFloats(size, seed++, Math.sqrt(3 / fanIn)),
    };
  }
  return values;
}

export function batchData(model) {
  const { batch, inputShape } = MODELS[model];
  const size = batch * inputShape.reduce((a, b) => a * b, 1);
  return { x: lcgFloats(size, 7, 0.5), y: lcgLabels(batch, 9, 10), xShape: [batch, ...inputShape] };
}

/**
 * The model as a tsflow graph: returns { graph, x, y, loss, train, init }. `core` and `train` are
 * the two packages' modules (the bench may load a baseline build next to the current one).
 */
export function buildTsflow(core, train, model) {
  const {
    Graph,
    Variable,
    add,
    biasAdd,
    conv2d,
    globalVariablesInitializer,
    matMul,
    maxPool,
    ndarray,
    placeholder,
    reduceMean,
    relu,
    reshape,
    sparseSoftmaxCrossEntropyWithLogits,
  } = core;
  const graph = new Graph();
  const init = initialValues(model);
  const v = (name) => new Variable(ndarray(init[name].data, { shape: init[name].shape }), { name });
  return graph.asDefault(() => {
    const { inputShape } = MODELS[model];
    const x = placeholder('float32', [null, ...inputShape], { name: 'x' });
    const y = placeholder('int32', [null], { name: 'y' });
    let logits;
    if (model === 'mlp') {
      const hidden = relu(add(matMul(x, v('w1')), v('b1')));
      logits = add(matMul(hidden, v('w2')), v('b2'));
    } else {
      const conv = (input, w, b) => relu(biasAdd(conv2d(input, v(w), [1, 1, 1, 1], 'SAME'), v(b)));
      const pool = (input) => maxPool(input, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME');
      const features = pool(conv(pool(conv(x, 'c1', 'cb1')), 'c2', 'cb2'));
      logits = add(matMul(reshape(features, [-1, 7 * 7 * 64]), v('wd')), v('bd'));
    }
    const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels: y, logits }));
    return {
      graph,
      x,
      y,
      loss,
      train: new train.AdamOptimizer(0.001).minimize(loss),
      init: globalVariablesInitializer(),
    };
  });
}

/** The same model in TensorFlow.js (tfjs-core ops + tf.train.adam): returns { step(), dispose() }. */
export function buildTfjs(tf, model) {
  const init = initialValues(model);
  const p = {};
  for (const [name, { shape, data }] of Object.entries(init)) p[name] = tf.variable(tf.tensor(data, shape), true, name);
  const { x: xData, y: yData, xShape } = batchData(model);
  const x = tf.tensor(xData, xShape);
  const y = tf.oneHot(tf.tensor1d(yData, 'int32'), 10);
  const optimizer = tf.train.adam(0.001);
  const forward = () => {
    let logits;
    if (model === 'mlp') {
      const hidden = tf.relu(tf.add(tf.matMul(x, p.w1), p.b1));
      logits = tf.add(tf.matMul(hidden, p.w2), p.b2);
    } else {
      const conv = (input, w, b) => tf.relu(tf.add(tf.conv2d(input, p[w], 1, 'same'), p[b]));
      const pool = (input) => tf.maxPool(input, 2, 2, 'same');
      const features = pool(conv(pool(conv(x, 'c1', 'cb1')), 'c2', 'cb2'));
      logits = tf.add(tf.matMul(tf.reshape(features, [-1, 7 * 7 * 64]), p.wd), p.bd);
    }
    return tf.losses.softmaxCrossEntropy(y, logits);
  };
  return {
    step: () => {
      const cost = optimizer.minimize(forward, true);
      cost.dataSync();
      cost.dispose();
    },
    dispose: () => {
      optimizer.dispose();
      tf.dispose([x, y, ...Object.values(p)]);
    },
  };
}
