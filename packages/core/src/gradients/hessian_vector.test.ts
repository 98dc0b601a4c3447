import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  Session,
  add,
  getGradient,
  gradients,
  matMul,
  mul,
  ndarray,
  placeholder,
  reduceMean,
  reduceSum,
  registeredOpTypes,
  relu,
  softmaxCrossEntropyWithLogits,
  tanh,
} from '../index.js';
import type { Tensor } from '../index.js';
import { DEVICES, expectClose } from '../test_support/devices.js';
import { randomArray } from '../test_support/gradient_check.js';
import { distributions } from '../test_support/gradient_inputs.js';

/*
 * Hessian-vector products of a small MLP: H·v = gradients(sum(grad · v), params), compared with
 * the finite difference of the gradient along v, (g(θ + εv) − g(θ − εv)) / 2ε, each g a run of
 * the first-order gradient ops at perturbed parameters.
 */

const SHAPES = { w1: [3, 4], b1: [4], w2: [4, 2], b2: [2] } as const;
type Params = Record<keyof typeof SHAPES, NDArray>;
const NAMES = Object.keys(SHAPES) as (keyof typeof SHAPES)[];

function buildMlp(hidden: (t: Tensor) => Tensor) {
  const graph = new Graph();
  const built = graph.asDefault(() => {
    const params = Object.fromEntries(
      NAMES.map((n) => [n, placeholder('float32', [...SHAPES[n]], { name: n })]),
    ) as Record<keyof typeof SHAPES, Tensor>;
    const directions = NAMES.map((n) => placeholder('float32', [...SHAPES[n]], { name: `v_${n}` }));
    const x = randomArray([5, 3], 91, -1, 1);
    const labels = distributions(5, 2, 92);
    const h = hidden(add(matMul(x, params.w1), params.b1));
    const logits = add(matMul(h, params.w2), params.b2);
    const loss = reduceMean(softmaxCrossEntropyWithLogits({ labels, logits }));
    const paramList = NAMES.map((n) => params[n]);
    const grads = gradients(loss, paramList) as Tensor[];
    const gv = grads.map((g, i) => reduceSum(mul(g, directions[i]!))).reduce((a, b) => add(a, b));
    const hv = gradients(gv, paramList) as Tensor[];
    return { paramList, directions, grads, hv };
  });
  return { graph, ...built };
}

describe.each(DEVICES)('Hessian-vector products of a small MLP on %s', (device) => {
  it.each([
    ['tanh', tanh],
    ['relu', relu],
  ] as const)('%s hidden layer: H·v matches the finite difference of the gradient along v', async (_name, hidden) => {
    const { graph, paramList, directions, grads, hv } = buildMlp(hidden);
    const theta: Params = {
      w1: randomArray([3, 4], 93),
      b1: randomArray([4], 94, 0.3, 0.6),
      w2: randomArray([4, 2], 95),
      b2: randomArray([2], 96),
    };
    const v: Params = {
      w1: randomArray([3, 4], 97),
      b1: randomArray([4], 98),
      w2: randomArray([4, 2], 99),
      b2: randomArray([2], 100),
    };
    using sess = new Session(graph, { device });
    const feeds = (at: Params) =>
      new Map<Tensor, NDArray>([
        ...paramList.map((p, i) => [p, at[NAMES[i]!]] as const),
        ...directions.map((d, i) => [d, v[NAMES[i]!]] as const),
      ]);
    const shifted = (eps: number): Params =>
      Object.fromEntries(
        NAMES.map((n) => [
          n,
          ndarray(theta[n].data.map((t, i) => t + eps * v[n].data[i]!) as Float32Array, { shape: theta[n].shape }),
        ]),
      ) as Params;
    const symbolic = (await sess.run(hv, feeds(theta))) as NDArray[];
    const eps = 1e-2;
    const plus = (await sess.run(grads, feeds(shifted(eps)))) as NDArray[];
    const minus = (await sess.run(grads, feeds(shifted(-eps)))) as NDArray[];
    symbolic.forEach((h, i) => {
      const numeric = Array.from(plus[i]!.data, (p, k) => (p - minus[i]!.data[k]!) / (2 * eps));
      expectClose(h.data, numeric, { rtol: 2e-2, atol: 2e-4 });
    });
    // The product is not trivially zero: the check compares real curvature.
    expect(symbolic.some((h) => h.data.some((value) => Math.abs(value) > 1e-3))).toBe(true);
  });
});

describe('second-order coverage', () => {
  /**
   * Op types that never sit between a differentiable input and a loss in a graph: sources, state,
   * bool outputs, updates, and the fused ops that exist only in session plans (session/remapper.ts).
   */
  const NOT_DIFFERENTIATED =
    /^(Const|Placeholder|VariableV2|Assign(Add|Sub)?|NoOp|ReportUninitializedVariables|Random\w+|TruncatedNormal|Equal|NotEqual|Greater(Equal)?|Less(Equal)?|(Sparse)?Apply\w+|_Fused\w+|\w+WithArgmax)$/;

  it('every other op type, backward ops included, has a gradient function (so gradients of gradients work)', () => {
    const missing = registeredOpTypes('cpu').filter((t) => getGradient(t) === undefined && !NOT_DIFFERENTIATED.test(t));
    expect(missing).toEqual([]);
  });
});
