import { describe, expect, it } from 'vitest';
import {
  Graph,
  InvalidArgumentError,
  type NDArray,
  Session,
  type FeedValue,
  type Tensor,
  Variable,
  constant,
  controlDependencies,
  identity,
  mul,
  placeholder,
  sparseApplyAdagrad,
  sparseApplyAdam,
  sparseApplyCenteredRMSProp,
  sparseApplyGradientDescent,
  sparseApplyMomentum,
  sparseApplyRMSProp,
} from '../index.js';
import { DEVICES, expectClose } from '../test_support/devices.js';

/*
 * Reference: TF1's sparse updates written out in float64 from the kernels' documented equations
 * (training_ops.cc SparseApply*, adam.py _apply_sparse_shared), after summing duplicate rows
 * as the TF1 optimizers do. Only the looked-up rows change (Adam: every row, see below).
 */
const ROWS = 5;
const W0 = [0.5, -1, 2, 0.25, -0.75, 1.5, 3, -2, 0.1, 0.9];
const STEPS: { ids: number[]; values: number[] }[] = [
  { ids: [3, 0, 3], values: [0.2, -0.4, 1, 0.5, -0.6, 0.3] },
  { ids: [0, 1], values: [-0.3, 0.8, 0.05, -0.2] },
];

type Ref = { w: number[]; slots: number[][] };
type RowRule = (ref: Ref, i: number, g: number, s: number[]) => void;

function summedRows(ids: number[], values: number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  ids.forEach((id, i) => {
    const row = out.get(id) ?? [0, 0];
    out.set(id, [row[0]! + values[2 * i]!, row[1]! + values[2 * i + 1]!]);
  });
  return out;
}

function reference(slotInits: number[], rule: RowRule, scalars: number[]): Ref {
  const ref: Ref = { w: W0.slice(), slots: slotInits.map((v) => new Array<number>(W0.length).fill(v)) };
  for (const { ids, values } of STEPS) {
    for (const [row, g] of summedRows(ids, values)) for (let k = 0; k < 2; k++) rule(ref, row * 2 + k, g[k]!, scalars);
  }
  return ref;
}

describe.each(DEVICES)('sparse optimizer updates on %s', (device) => {
  type Build = (w: Variable, slots: Variable[], values: Tensor, ids: Tensor) => Tensor;

  /** Runs STEPS through `build`'s update and compares var and slots with `expected`. */
  async function check(slotInits: number[], expected: Ref, build: Build) {
    const g = new Graph();
    const { w, slots, values, ids, update } = g.asDefault(() => {
      const w = new Variable(constant(W0, { shape: [ROWS, 2] }), { name: 'w' });
      const slots = slotInits.map(
        (v, i) =>
          new Variable(constant(new Array(W0.length).fill(v), { shape: [ROWS, 2] }), {
            name: `slot${i}`,
            trainable: false,
          }),
      );
      const values = placeholder('float32', [null, 2], { name: 'values' });
      const ids = placeholder('int32', [null], { name: 'ids' });
      return { w, slots, values, ids, update: build(w, slots, values, ids) };
    });
    using sess = new Session(g, { device });
    await sess.run([w, ...slots].map((v) => v.initializer));
    for (const step of STEPS) await sess.run(update, stepFeeds(values, ids, step));
    const [wv, ...sv] = (await sess.run([w, ...slots])) as NDArray[];
    expectClose(wv!.data, expected.w, { rtol: 1e-5, atol: 1e-6 });
    sv.forEach((s, i) => {
      expectClose(s.data, expected.slots[i]!, { rtol: 1e-5, atol: 1e-6 });
    });
    return { w: wv!, slots: sv };
  }

  it('gradient descent: var[r] -= lr * g, duplicates summed, other rows untouched', async () => {
    const expected = reference([], (ref, i, g, [lr]) => (ref.w[i] = ref.w[i]! - lr! * g), [0.5]);
    const { w } = await check([], expected, (w, _s, values, ids) => sparseApplyGradientDescent(w, 0.5, values, ids));
    // Rows 2 and 4 were never looked up.
    expect(Array.from(w.data.subarray(4, 6))).toEqual([-0.75, 1.5]);
    expect(Array.from(w.data.subarray(8, 10))).toEqual([W0[8]!, W0[9]!].map(Math.fround));
  });

  it('momentum (plain and Nesterov) changes only looked-up rows of var and accum', async () => {
    const rule =
      (nesterov: boolean): RowRule =>
      (ref, i, g, [lr, mu]) => {
        const a = ref.slots[0]![i]! * mu! + g;
        ref.slots[0]![i] = a;
        ref.w[i] = ref.w[i]! - (nesterov ? lr! * g + lr! * mu! * a : lr! * a);
      };
    const plain = await check([0], reference([0], rule(false), [0.1, 0.9]), (w, [accum], values, ids) =>
      sparseApplyMomentum(w, accum!, 0.1, values, ids, 0.9),
    );
    expect(Array.from(plain.slots[0]!.data.subarray(4, 6))).toEqual([0, 0]);
    await check([0], reference([0], rule(true), [0.1, 0.9]), (w, [accum], values, ids) =>
      sparseApplyMomentum(w, accum!, 0.1, values, ids, 0.9, { useNesterov: true }),
    );
  });

  it('RMSProp, centered RMSProp and Adagrad follow their row equations', async () => {
    const rms = reference(
      [1, 0],
      (ref, i, g, [lr, rho, mu, eps]) => {
        const [ms, mom] = ref.slots as [number[], number[]];
        ms[i] = ms[i]! + (g * g - ms[i]!) * (1 - rho!);
        mom[i] = mom[i]! * mu! + (lr! * g) / Math.sqrt(ms[i]! + eps!);
        ref.w[i] = ref.w[i]! - mom[i]!;
      },
      [0.01, 0.9, 0.5, 1e-10],
    );
    await check([1, 0], rms, (w, [ms, mom], values, ids) =>
      sparseApplyRMSProp(w, ms!, mom!, 0.01, 0.9, 0.5, 1e-10, values, ids),
    );
    const centered = reference(
      [0, 1, 0],
      (ref, i, g, [lr, rho, mu, eps]) => {
        const [mg, ms, mom] = ref.slots as [number[], number[], number[]];
        mg[i] = mg[i]! + (g - mg[i]!) * (1 - rho!);
        ms[i] = ms[i]! + (g * g - ms[i]!) * (1 - rho!);
        mom[i] = mom[i]! * mu! + (lr! * g) / Math.sqrt(ms[i]! - mg[i]! * mg[i]! + eps!);
        ref.w[i] = ref.w[i]! - mom[i]!;
      },
      [0.01, 0.9, 0.5, 1e-10],
    );
    await check([0, 1, 0], centered, (w, [mg, ms, mom], values, ids) =>
      sparseApplyCenteredRMSProp(w, mg!, ms!, mom!, 0.01, 0.9, 0.5, 1e-10, values, ids),
    );
    const adagrad = reference(
      [0.1],
      (ref, i, g, [lr]) => {
        const accum = ref.slots[0]!;
        accum[i] = accum[i]! + g * g;
        ref.w[i] = ref.w[i]! - (lr! * g) / Math.sqrt(accum[i]!);
      },
      [0.3],
    );
    await check([0.1], adagrad, (w, [accum], values, ids) => sparseApplyAdagrad(w, accum!, 0.3, values, ids));
  });

  it('Adam (TF1 sparse path): m and v decay on every row, looked-up rows add the gradient, every row moves', async () => {
    // Hyperparameters are float32 scalars in the graph, so the reference uses their float32 values.
    const [lr, beta1, beta2, eps] = [0.1, 0.9, 0.999, 1e-8].map(Math.fround) as [number, number, number, number];
    const ref: Ref = { w: W0.slice(), slots: [new Array<number>(10).fill(0), new Array<number>(10).fill(0)] };
    // Seed some momentum on row 4 so that the untouched row visibly moves and decays.
    ref.slots[0]![8] = 0.5;
    ref.slots[1]![8] = 0.25;
    const initialSlots = ref.slots.map((s) => s.slice());
    STEPS.forEach(({ ids, values }, t) => {
      const [m, v] = ref.slots as [number[], number[]];
      const lrT = (lr * Math.sqrt(1 - beta2 ** (t + 1))) / (1 - beta1 ** (t + 1));
      for (let i = 0; i < 10; i++) {
        m[i] = m[i]! * beta1;
        v[i] = v[i]! * beta2;
      }
      for (const [row, g] of summedRows(ids, values)) {
        for (let k = 0; k < 2; k++) {
          m[row * 2 + k] = m[row * 2 + k]! + (1 - beta1) * g[k]!;
          v[row * 2 + k] = v[row * 2 + k]! + (1 - beta2) * g[k]! * g[k]!;
        }
      }
      for (let i = 0; i < 10; i++) ref.w[i] = ref.w[i]! - (lrT * m[i]!) / (Math.sqrt(v[i]!) + eps);
    });
    const g = new Graph();
    const { w, m, v, values, ids, update, advance } = g.asDefault(() => {
      const w = new Variable(constant(W0, { shape: [ROWS, 2] }), { name: 'w' });
      const m = new Variable(constant(initialSlots[0]!, { shape: [ROWS, 2] }), { name: 'm' });
      const v = new Variable(constant(initialSlots[1]!, { shape: [ROWS, 2] }), { name: 'v' });
      const b1 = new Variable(beta1, { name: 'beta1_power' });
      const b2 = new Variable(beta2, { name: 'beta2_power' });
      const values = placeholder('float32', [null, 2]);
      const ids = placeholder('int32', [null]);
      const update = sparseApplyAdam(w, m, v, b1, b2, lr, beta1, beta2, eps, values, ids);
      const advance = controlDependencies([update.op], () => [b1.assign(mul(b1, beta1)), b2.assign(mul(b2, beta2))]);
      return { w, m, v, values, ids, update, advance };
    });
    using sess = new Session(g, { device });
    await sess.run(g.getCollection<Variable>('variables').map((x) => x.initializer));
    for (const step of STEPS) await sess.run([update, ...advance], stepFeeds(values, ids, step));
    const [wv, mv, vv] = (await sess.run([w, m, v])) as NDArray[];
    expectClose(wv!.data, ref.w, { rtol: 1e-5, atol: 1e-6 });
    expectClose(mv!.data, ref.slots[0]!, { rtol: 1e-5, atol: 1e-7 });
    expectClose(vv!.data, ref.slots[1]!, { rtol: 1e-5, atol: 1e-9 });
    expect(wv!.data[8]).not.toBeCloseTo(W0[8]!, 3);
  });

  it('never changes a value read earlier: fetched or still in use in the same run', async () => {
    const g = new Graph();
    const { w, before, update, after } = g.asDefault(() => {
      const w = new Variable(constant([1, 2, 3, 4], { shape: [2, 2] }), { name: 'w' });
      const before = identity(w);
      const update = controlDependencies([before.op], () => sparseApplyGradientDescent(w, 1, [[10, 10]], [1]));
      const after = controlDependencies([update.op], () => identity(w));
      return { w, before, update, after };
    });
    using sess = new Session(g, { device });
    await sess.run(w.initializer);
    const earlier = (await sess.run(w)) as NDArray;
    const [snapshot, b, u, a] = (await sess.run([w, before, update, after])) as NDArray[];
    expect(earlier.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(snapshot!.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(b!.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(u!.toArray()).toEqual([
      [1, 2],
      [-7, -6],
    ]);
    expect(a!.toArray()).toEqual([
      [1, 2],
      [-7, -6],
    ]);
    await sess.run(update);
    expect(u!.toArray()).toEqual([
      [1, 2],
      [-7, -6],
    ]);
    expect(((await sess.run(w)) as NDArray).toArray()).toEqual([
      [1, 2],
      [-17, -16],
    ]);
  });

  it('refuses bad rows, indices and slots with named errors', async () => {
    const g = new Graph();
    const { w, bad } = g.asDefault(() => {
      const w = new Variable(constant([1, 2, 3, 4], { shape: [2, 2] }), { name: 'w' });
      const ids = placeholder('int32', [null], { name: 'ids' });
      expect(() => sparseApplyGradientDescent(w, 1, [[1, 2, 3]], [0])).toThrow(
        /SparseApplyGradientDescent 'SparseApplyGradientDescent': values Const(_\d+)?:0 is float32\[1,3\], expected float32\[1,2\] \(one row of 'w' per index\)/,
      );
      expect(() => sparseApplyGradientDescent(w, 1, [[1, 2]], [0.5])).toThrow(/indices: 0.5 is not an int32 value/);
      const other = new Variable([1, 2, 3], { name: 'other' });
      expect(() => sparseApplyMomentum(w, other, 1, [[1, 2]], [0], 0.9)).toThrow(
        /slot 'other' is float32\[3\], expected float32\[2,2\] like variable 'w'/,
      );
      expect(() => sparseApplyGradientDescent(identity(w) as never, 1, [[1, 2]], [0])).toThrow(
        /variable must be a Variable, got Tensor/,
      );
      return {
        w,
        bad: sparseApplyGradientDescent(
          w,
          1,
          [
            [1, 2],
            [3, 4],
          ],
          ids,
        ),
      };
    });
    using sess = new Session(g, { device });
    await sess.run(w.initializer);
    await expect(sess.run(bad, { 'ids:0': [1, 2] })).rejects.toThrow(InvalidArgumentError);
    await expect(sess.run(bad, { 'ids:0': [1, 2] })).rejects.toThrow(
      /SparseApplyGradientDescent 'SparseApplyGradientDescent(_\d+)?': indices\[1\] = 2 is not in \[0, 2\)/,
    );
    // Nothing was written by the failed runs.
    expect(((await sess.run(w)) as NDArray).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

function stepFeeds(values: Tensor, ids: Tensor, step: { ids: number[]; values: number[] }): Map<Tensor, FeedValue> {
  return new Map<Tensor, FeedValue>([
    [values, chunk(step.values)],
    [ids, step.ids],
  ]);
}

function chunk(values: number[]): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < values.length; i += 2) rows.push([values[i]!, values[i + 1]!]);
  return rows;
}
