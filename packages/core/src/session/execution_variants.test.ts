import { afterAll, describe, expect, it } from 'vitest';
import {
  Graph,
  Session,
  Variable,
  add,
  applyAdam,
  biasAdd,
  conv2d,
  globalVariablesInitializer,
  gradients,
  group,
  matMul,
  maxPool,
  ndarray,
  placeholder,
  reduceMean,
  relu,
  reshape,
  sparseSoftmaxCrossEntropyWithLogits,
  zeros,
  type NDArray,
  type Tensor,
} from '../index.js';
import { stopThreads } from '../cpu_backend/parallel.js';
import { setWasmKernelsEnabled, wasmKernels } from '../cpu_backend/wasm_kernels.js';

/*
 * The execution switches must not change what a training step computes: fusion on/off and 1 or
 * 2 threads give bit-identical results (same float32 operations in the same order), and the JS
 * kernels (TSFLOW_WASM=0) agree with the WebAssembly ones to float rounding. This is the cheap
 * CI check of the non-default paths; `npm run test:variants` runs the whole op and gradient
 * suites under each switch.
 */

function values(length: number, seed: number, scale = 0.5): Float32Array {
  const data = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return data;
}

const param = (name: string, shape: number[], seed: number) =>
  new Variable(
    ndarray(
      values(
        shape.reduce((a, b) => a * b, 1),
        seed,
        0.3,
      ),
      { shape },
    ),
    { name },
  );

/** A model, its Adam training op, and a fixed batch. */
function trainingGraph(model: 'mlp' | 'cnn') {
  const g = new Graph();
  const built = g.asDefault(() => {
    const inputShape = model === 'mlp' ? [64, 128] : [8, 16, 16, 3];
    const x = placeholder('float32', inputShape, { name: 'x' });
    const y = placeholder('int32', [inputShape[0]!], { name: 'y' });
    let logits: Tensor;
    if (model === 'mlp') {
      const h = relu(add(matMul(x, param('w1', [128, 128], 1)), param('b1', [128], 2)));
      logits = add(matMul(h, param('w2', [128, 10], 3)), param('b2', [10], 4));
    } else {
      const conv = (input: Tensor, shape: number[], seed: number) =>
        relu(
          biasAdd(
            conv2d(input, param(`f${seed}`, shape, seed), [1, 1, 1, 1], 'SAME'),
            param(`b${seed}`, [shape[3]!], seed + 1),
          ),
        );
      const pool = (input: Tensor) => maxPool(input, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME');
      const features = pool(conv(pool(conv(x, [3, 3, 3, 16], 5)), [3, 3, 16, 32], 7));
      logits = add(matMul(reshape(features, [8, 4 * 4 * 32]), param('wd', [512, 10], 9)), param('bd', [10], 10));
    }
    const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels: y, logits }));
    const vars = g.getCollection<Variable>('trainable_variables');
    const grads = gradients(loss, vars) as Tensor[];
    const updates = vars.map((v, i) => {
      const m = new Variable(zeros(v.shape as number[]), { name: `${v.name}/m`, trainable: false });
      const s = new Variable(zeros(v.shape as number[]), { name: `${v.name}/v`, trainable: false });
      return applyAdam(v, m, s, 0.9, 0.999, 0.01, 0.9, 0.999, 1e-8, grads[i]!);
    });
    return { x, y, loss, vars, grads, train: group(updates), init: globalVariablesInitializer() };
  });
  const size = built.x.shape!.reduce((a, b) => a! * b!, 1)!;
  const feeds = {
    x: ndarray(values(size, 11), { shape: built.x.shape as number[] }),
    y: ndarray(
      Int32Array.from({ length: built.y.shape![0]! }, (_, i) => (i * 7) % 10),
      { shape: [built.y.shape![0]!] },
    ),
  };
  return { g, ...built, feeds };
}

/** Loss of two Adam steps, then every variable, under one configuration (and the first step's gradients). */
async function twoSteps(
  model: 'mlp' | 'cnn',
  options: { fusion: boolean; threads: number },
  wasm: boolean,
): Promise<NDArray[]> {
  return (await trainTwice(model, options, wasm)).outputs;
}

async function trainTwice(
  model: 'mlp' | 'cnn',
  options: { fusion: boolean; threads: number },
  wasm: boolean,
): Promise<{ outputs: NDArray[]; gradients: NDArray[] }> {
  setWasmKernelsEnabled(wasm);
  const { g, loss, vars, grads, train, init, feeds } = trainingGraph(model);
  using sess = new Session(g, options);
  await sess.run(init);
  const [first, ...firstGradients] = (await sess.run([loss, ...grads, train], feeds)).slice(0, -1) as NDArray[];
  const [second] = await sess.run([loss, train], feeds);
  return { outputs: [first!, second!, ...((await sess.run(vars)) as NDArray[])], gradients: firstGradients };
}

const wasmAvailable = wasmKernels() !== null;
const CONFIGS = [
  { fusion: true, threads: 2 },
  { fusion: false, threads: 1 },
  { fusion: true, threads: 1 },
  { fusion: false, threads: 2 },
];

describe.each(['mlp', 'cnn'] as const)('%s training step under every execution switch', (model) => {
  afterAll(() => {
    setWasmKernelsEnabled(wasmAvailable);
    stopThreads();
  });

  it.each(wasmAvailable ? [true, false] : [false])(
    'wasm %s: fusion on/off and 1/2 threads give bit-identical losses and weights',
    async (wasm) => {
      const results: NDArray[][] = [];
      for (const config of CONFIGS) results.push(await twoSteps(model, config, wasm));
      for (const result of results.slice(1)) {
        result.forEach((value, i) => {
          expect(Array.from(value.data), `output ${i}`).toEqual(Array.from(results[0]![i]!.data));
        });
      }
      // The steps trained something: the loss went down.
      expect(results[0]![1]!.item()).toBeLessThan(results[0]![0]!.item());
    },
  );

  it.skipIf(!wasmAvailable)('the JS kernels agree with the WebAssembly ones to float rounding', async () => {
    // The wasm path may use other algorithms (Winograd convolutions): losses and gradients agree to
    // float rounding relative to their scale. Adam divides by sqrt(v), so a gradient near zero
    // may move its weight by up to the learning rate (0.01) either way after rounding: weights are
    // compared where the first gradient is clearly not zero, to a share of the learning rate.
    const withWasm = await trainTwice(model, { fusion: true, threads: 2 }, true);
    const js = await trainTwice(model, { fusion: true, threads: 2 }, false);
    const [wasmLosses, jsLosses] = [withWasm.outputs.slice(0, 2), js.outputs.slice(0, 2)];
    wasmLosses.forEach((loss, i) => {
      const other = jsLosses[i]!.item();
      expect(Math.abs(loss.item() - other), `loss ${i}`).toBeLessThanOrEqual(1e-5 * Math.abs(other));
    });
    withWasm.gradients.forEach((gradient, i) => {
      const other = js.gradients[i]!.data;
      const scale = Math.max(...Array.from(other, Math.abs));
      const weights = withWasm.outputs[i + 2]!.data;
      const jsWeights = js.outputs[i + 2]!.data;
      gradient.data.forEach((v, e) => {
        expect(Math.abs(v - other[e]!), `gradient ${i} element ${e}`).toBeLessThanOrEqual(1e-5 + 1e-4 * scale);
        if (Math.abs(other[e]!) > 1e-2 * scale)
          expect(Math.abs(weights[e]! - jsWeights[e]!), `weight ${i} element ${e}`).toBeLessThanOrEqual(1e-4);
      });
    });
  });
});
