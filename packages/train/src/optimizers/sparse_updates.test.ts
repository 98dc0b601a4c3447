import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  Session,
  Variable,
  add,
  constant,
  gather,
  globalVariablesInitializer,
  placeholder,
  reduceSum,
  square,
} from '@tsflow/core';
import {
  AdagradOptimizer,
  AdamOptimizer,
  GradientDescentOptimizer,
  MomentumOptimizer,
  type Optimizer,
  RMSPropOptimizer,
} from '../index.js';

/*
 * Embedding-style training: loss = sum(gather(W, ids)²), so the gradient is an IndexedSlices
 * and the optimizers apply TF1's sparse updates. References are TF1's update equations run in
 * float64 on the summed gradient rows (2 * W[r] per occurrence of r in ids).
 */
const ROW0 = [
  [0.1, 0.2],
  [0.3, 0.4],
  [0.5, 0.6],
  [0.7, 0.8],
  [0.9, 1.0],
  [1.1, 1.2],
];
const IDS = [
  [0, 1, 1],
  [2, 3, 0],
  [0, 1, 1],
];

async function train(optimizer: () => Optimizer, steps: number[][]) {
  const g = new Graph();
  const { W, ids, loss, trainOp, opt } = g.asDefault(() => {
    const W = new Variable(ROW0, { name: 'W' });
    const ids = placeholder('int32', [null], { name: 'ids' });
    const loss = reduceSum(square(gather(W, ids)));
    const opt = optimizer();
    return { W, ids, loss, trainOp: opt.minimize(loss), opt };
  });
  using sess = new Session(g);
  await sess.run(globalVariablesInitializer({ graph: g }));
  const losses: number[] = [];
  for (const step of steps) {
    const [l] = (await sess.run([loss, trainOp], new Map([[ids, step]]))) as [NDArray, null];
    losses.push(l.item());
  }
  const slots: Record<string, number[][]> = {};
  for (const name of opt.getSlotNames())
    slots[name] = ((await sess.run(opt.getSlot(W, name)!)) as NDArray).toArray() as number[][];
  const opTypes = new Set(g.operations.map((op) => op.type));
  return { W: ((await sess.run(W)) as NDArray).toArray() as number[][], losses, slots, opTypes };
}

/** Summed gradient rows of loss = sum(W[ids]²): 2 W[r] per occurrence. */
function summedGradient(W: number[][], ids: number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const r of ids) {
    const row = out.get(r) ?? [0, 0];
    out.set(r, [row[0]! + 2 * W[r]![0]!, row[1]! + 2 * W[r]![1]!]);
  }
  return out;
}

function expectRows(actual: number[][], expected: number[][], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) => {
    row.forEach((v, k) => {
      expect(v, `row ${r} col ${k}`).toBeCloseTo(expected[r]![k]!, digits);
    });
  });
}

describe('sparse optimizer updates for gather gradients (TF1 semantics)', () => {
  it('Momentum 0.05/0.9, W[6,2], ids [0,1,1] then [2,3,0]: only looked-up rows move (the issue case)', async () => {
    // By hand: step 1 g0 = [.2,.4], g1 = 2*2*[.3,.4] = [1.2,1.6] (row 1 twice); accum = g; W -= .05 accum
    // -> W0 = [.09,.18], W1 = [.24,.32]. Step 2 (loss .25+.36+.49+.64+.0081+.0324 = 1.7805):
    // g0 = [.18,.36] -> accum0 = .9[.2,.4] + g0 = [.36,.72], W0 = [.072,.144]; W2 = [.45,.54],
    // W3 = [.63,.72]. Row 1 is not looked up: TF leaves W1 = [.24,.32] and accum1 = [1.2,1.6]
    // (a dense update would move it by .05 * .9 * accum1 to [.186,.248]).
    // Loss before step 3 (ids [0,1,1]): .072² + .144² + 2(.24² + .32²) = 0.34592 (dense: 0.21812).
    const { losses, opTypes } = await train(() => new MomentumOptimizer(0.05, 0.9), IDS);
    expect(opTypes.has('SparseApplyMomentum')).toBe(true);
    expect(losses[0]).toBeCloseTo(0.55, 6);
    expect(losses[1]).toBeCloseTo(1.7805, 6);
    expect(losses[2]).toBeCloseTo(0.34592, 6);
    const afterTwo = await train(() => new MomentumOptimizer(0.05, 0.9), IDS.slice(0, 2));
    expectRows(
      afterTwo.W,
      [
        [0.072, 0.144],
        [0.24, 0.32],
        [0.45, 0.54],
        [0.63, 0.72],
        [0.9, 1.0],
        [1.1, 1.2],
      ],
      6,
    );
    expectRows(
      afterTwo.slots['momentum']!,
      [
        [0.36, 0.72],
        [1.2, 1.6],
        [1.0, 1.2],
        [1.4, 1.6],
        [0, 0],
        [0, 0],
      ],
      6,
    );
  });

  const rowRules: Record<
    string,
    {
      make: () => Optimizer;
      slots: Record<string, number>;
      rule: (w: number[], s: Record<string, number[]>, g: number[]) => void;
    }
  > = {
    GradientDescent: {
      make: () => new GradientDescentOptimizer(0.1),
      slots: {},
      rule: (w, _s, g) =>
        g.forEach((gk, k) => {
          w[k] = w[k]! - 0.1 * gk;
        }),
    },
    MomentumNesterov: {
      make: () => new MomentumOptimizer(0.05, 0.9, { useNesterov: true }),
      slots: { momentum: 0 },
      rule: (w, { momentum: a }, g) =>
        g.forEach((gk, k) => {
          a![k] = a![k]! * 0.9 + gk;
          w[k] = w[k]! - (0.05 * gk + 0.05 * 0.9 * a![k]!);
        }),
    },
    RMSProp: {
      make: () => new RMSPropOptimizer(0.01, { decay: 0.9, momentum: 0.5, epsilon: 1e-10 }),
      slots: { rms: 1, momentum: 0 },
      rule: (w, { rms, momentum }, g) =>
        g.forEach((gk, k) => {
          rms![k] = rms![k]! + (gk * gk - rms![k]!) * (1 - 0.9);
          momentum![k] = momentum![k]! * 0.5 + (0.01 * gk) / Math.sqrt(rms![k]! + 1e-10);
          w[k] = w[k]! - momentum![k]!;
        }),
    },
    CenteredRMSProp: {
      make: () => new RMSPropOptimizer(0.01, { decay: 0.9, momentum: 0.5, epsilon: 1e-10, centered: true }),
      slots: { mg: 0, rms: 1, momentum: 0 },
      rule: (w, { mg, rms, momentum }, g) =>
        g.forEach((gk, k) => {
          mg![k] = mg![k]! + (gk - mg![k]!) * (1 - 0.9);
          rms![k] = rms![k]! + (gk * gk - rms![k]!) * (1 - 0.9);
          momentum![k] = momentum![k]! * 0.5 + (0.01 * gk) / Math.sqrt(rms![k]! - mg![k]! * mg![k]! + 1e-10);
          w[k] = w[k]! - momentum![k]!;
        }),
    },
    Adagrad: {
      make: () => new AdagradOptimizer(0.3, { initialAccumulatorValue: 0.1 }),
      slots: { accumulator: 0.1 },
      rule: (w, { accumulator: acc }, g) =>
        g.forEach((gk, k) => {
          acc![k] = acc![k]! + gk * gk;
          w[k] = w[k]! - (0.3 * gk) / Math.sqrt(acc![k]!);
        }),
    },
  };

  for (const [name, { make, slots, rule }] of Object.entries(rowRules)) {
    it(`${name}: looked-up rows follow TF1's row update; other rows and their slots never change`, async () => {
      const W = ROW0.map((row) => row.slice());
      const slotRows = Object.fromEntries(
        Object.entries(slots).map(([slot, init]) => [slot, ROW0.map(() => [init, init])]),
      );
      for (const ids of IDS) {
        for (const [r, g] of summedGradient(W, ids))
          rule(W[r]!, Object.fromEntries(Object.entries(slotRows).map(([s, rows]) => [s, rows[r]!])), g);
      }
      const out = await train(make, IDS);
      expectRows(out.W, W);
      for (const [slot, rows] of Object.entries(slotRows)) expectRows(out.slots[slot]!, rows);
      // Rows 4 and 5 are never looked up.
      expect(out.W.slice(4)).toEqual(ROW0.slice(4).map((row) => row.map(Math.fround)));
    });
  }

  it("Adam: TF1's sparse path decays m and v of every row and moves every row with nonzero m", async () => {
    const [lr, b1, b2, eps] = [0.1, 0.9, 0.999, 1e-8].map(Math.fround) as [number, number, number, number];
    const W = ROW0.map((row) => row.slice());
    const m = ROW0.map(() => [0, 0]);
    const v = ROW0.map(() => [0, 0]);
    IDS.forEach((ids, t) => {
      const g = summedGradient(W, ids);
      const lrT = (lr * Math.sqrt(1 - b2 ** (t + 1))) / (1 - b1 ** (t + 1));
      for (let r = 0; r < 6; r++) {
        for (let k = 0; k < 2; k++) {
          const gk = g.get(r)?.[k] ?? 0;
          m[r]![k] = m[r]![k]! * b1 + (g.has(r) ? (1 - b1) * gk : 0);
          v[r]![k] = v[r]![k]! * b2 + (g.has(r) ? (1 - b2) * gk * gk : 0);
          W[r]![k] = W[r]![k]! - (lrT * m[r]![k]!) / (Math.sqrt(v[r]![k]!) + eps);
        }
      }
    });
    const out = await train(() => new AdamOptimizer(0.1), IDS);
    expect(out.opTypes.has('SparseApplyAdam')).toBe(true);
    expectRows(out.W, W);
    expectRows(out.slots['m']!, m);
    expectRows(out.slots['v']!, v, 7);
    // Rows 2 and 3 were looked up only in step 2, yet moved again in step 3 (m decays, not zero).
    expect(out.W[2]![0]).toBeLessThan(0.5 - 0.1);
  });

  it('a variable that also gets a dense gradient is updated densely', async () => {
    const g = new Graph();
    const { W, trainOp } = g.asDefault(() => {
      const W = new Variable(ROW0, { name: 'W' });
      const loss = add(reduceSum(gather(W, constant([0], { dtype: 'int32' }))), reduceSum(W));
      return { W, trainOp: new GradientDescentOptimizer(0.5).minimize(loss) };
    });
    expect(g.operations.some((op) => op.type === 'ApplyGradientDescent')).toBe(true);
    expect(g.operations.some((op) => op.type === 'SparseApplyGradientDescent')).toBe(false);
    using sess = new Session(g);
    await sess.run(globalVariablesInitializer({ graph: g }));
    await sess.run(trainOp);
    // Every element gets 1 from sum(W); row 0 another 1 from the gather.
    expectRows(
      ((await sess.run(W)) as NDArray).toArray() as number[][],
      ROW0.map((row, r) => row.map((x) => x - 0.5 * (r === 0 ? 2 : 1))),
    );
  });
});
