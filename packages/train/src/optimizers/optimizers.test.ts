import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  Session,
  type Tensor,
  Variable,
  constant,
  globalVariablesInitializer,
  mul,
  reduceSum,
  trainableVariables,
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
 * Each optimizer updates var0 = [1, 2] with the constant gradient [0.1, 0.1] and var1 = [3, 4]
 * with [0.01, 0.01] (TF1's own optimizer-test setup). Expected values are TF1's update
 * equations written out by hand in float64, compared at float32 precision.
 */
const GRAD0 = 0.1;
const GRAD1 = 0.01;

interface Setup {
  graph: Graph;
  var0: Variable;
  var1: Variable;
  session: Session;
  step: () => Promise<[number[], number[]]>;
}

async function setup(
  optimizer: () => Optimizer,
  build: 'apply' | 'minimize' = 'apply',
): Promise<Setup & { opt: Optimizer }> {
  const graph = new Graph();
  const { var0, var1, trainOp, opt } = graph.asDefault(() => {
    const var0 = new Variable([1, 2], { name: 'var0' });
    const var1 = new Variable([3, 4], { name: 'var1' });
    const opt = optimizer();
    const trainOp =
      build === 'apply'
        ? opt.applyGradients([
            [constant([GRAD0, GRAD0]), var0],
            [constant([GRAD1, GRAD1]), var1],
          ])
        : opt.minimize(mul(reduceSum(var0), GRAD0) as Tensor, { varList: [var0] });
    return { var0, var1, trainOp, opt };
  });
  const session = new Session(graph);
  await session.run(graph.asDefault(() => globalVariablesInitializer()));
  const step = async (): Promise<[number[], number[]]> => {
    await session.run(trainOp);
    const [a, b] = (await session.run([var0, var1])) as NDArray[];
    return [Array.from(a!.data), Array.from(b!.data)];
  };
  return { graph, var0, var1, session, step, opt };
}

function expectValues(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    expect(a).toBeCloseTo(expected[i]!, 5);
  });
}

describe('GradientDescentOptimizer', () => {
  it('lr=3, var=[1,2], g=0.1 gives [0.7, 1.7], also through minimize', async () => {
    const { step } = await setup(() => new GradientDescentOptimizer(3));
    const [v0, v1] = await step();
    expectValues(v0, [0.7, 1.7]);
    expectValues(v1, [3 - 3 * 0.01, 4 - 3 * 0.01]);
    const viaMinimize = await setup(() => new GradientDescentOptimizer(3), 'minimize');
    expectValues((await viaMinimize.step())[0], [0.7, 1.7]);
  });

  it('accepts a learning rate tensor or variable', async () => {
    const { step } = await setup(() => new GradientDescentOptimizer(constant(3)));
    expectValues((await step())[0], [0.7, 1.7]);
    const viaVariable = await setup(
      () => new GradientDescentOptimizer(new Variable(3, { name: 'lr', trainable: false })),
    );
    expectValues((await viaVariable.step())[0], [0.7, 1.7]);
    expect(() =>
      new GradientDescentOptimizer(Number.NaN).applyGradients([[constant([1, 2]), viaVariable.var0]]),
    ).toThrow(/GradientDescent: learning_rate must be a finite number or a float32 Tensor, got NaN/);
  });
});

describe('MomentumOptimizer', () => {
  it('lr=2, momentum=0.9 gives [0.8, 1.8] then [0.42, 1.42]', async () => {
    const { step, opt, var0 } = await setup(() => new MomentumOptimizer(2, 0.9));
    expectValues((await step())[0], [0.8, 1.8]);
    expectValues((await step())[0], [0.42, 1.42]);
    expect(opt.getSlot(var0, 'momentum')!.name).toBe('var0/Momentum');
  });

  it('Nesterov: var -= lr*g + lr*momentum*accum', async () => {
    const { step } = await setup(() => new MomentumOptimizer(2, 0.9, { useNesterov: true }));
    // step 1: accum = 0.1, update = 2*0.1 + 2*0.9*0.1 = 0.38
    expectValues((await step())[0], [1 - 0.38, 2 - 0.38]);
    // step 2: accum = 0.19, update = 0.2 + 1.8*0.19 = 0.542
    expectValues((await step())[0], [1 - 0.38 - 0.542, 2 - 0.38 - 0.542]);
  });
});

describe('AdamOptimizer', () => {
  /** TF1 Adam on one element, written out: returns the values after each step. */
  function adamReference(
    start: number,
    g: number,
    steps: number,
    lr: number,
    beta1 = 0.9,
    beta2 = 0.999,
    eps = 1e-8,
  ): number[] {
    let m = 0;
    let v = 0;
    let x = start;
    const out: number[] = [];
    for (let t = 1; t <= steps; t++) {
      const lrT = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      m = beta1 * m + (1 - beta1) * g;
      v = beta2 * v + (1 - beta2) * g * g;
      x -= (lrT * m) / (Math.sqrt(v) + eps);
      out.push(x);
    }
    return out;
  }

  it('matches TF1 update rules for two steps, with slots, beta powers and hand values', async () => {
    const { step, opt, var0, var1, session, graph } = await setup(() => new AdamOptimizer(0.1, 0.9, 0.999, 0.1));
    const [a1, b1] = await step();
    // Step 1 by hand for var0[0]: m = 0.01, v = 1e-5, lr_t = 0.1*sqrt(0.001)/0.1 = 0.0316228,
    // update = 0.0316228 * 0.01 / (0.00316228 + 0.1) = 0.00306534.
    expect(a1[0]).toBeCloseTo(1 - (0.0316227766 * 0.01) / (0.0031622777 + 0.1), 5);
    const ref0 = [adamReference(1, GRAD0, 2, 0.1, 0.9, 0.999, 0.1), adamReference(2, GRAD0, 2, 0.1, 0.9, 0.999, 0.1)];
    const ref1 = [adamReference(3, GRAD1, 2, 0.1, 0.9, 0.999, 0.1), adamReference(4, GRAD1, 2, 0.1, 0.9, 0.999, 0.1)];
    expectValues(a1, [ref0[0]![0]!, ref0[1]![0]!]);
    expectValues(b1, [ref1[0]![0]!, ref1[1]![0]!]);
    const [a2, b2] = await step();
    expectValues(a2, [ref0[0]![1]!, ref0[1]![1]!]);
    expectValues(b2, [ref1[0]![1]!, ref1[1]![1]!]);
    expect(opt.getSlot(var0, 'm')!.name).toBe('var0/Adam');
    expect(opt.getSlot(var0, 'v')!.name).toBe('var0/Adam_1');
    expect(opt.getSlot(var1, 'm')!.name).toBe('var1/Adam');
    expect(opt.getSlot(var0, 'm')!.trainable).toBe(false);
    const powers = opt.variables().filter((v) => /beta\d_power/.test(v.name));
    expect(powers.map((v) => v.name).sort()).toEqual(['beta1_power', 'beta2_power']);
    const values = (await session.run(powers)) as NDArray[];
    const byName = Object.fromEntries(powers.map((p, i) => [p.name, values[i]!.item()]));
    expect(byName['beta1_power']).toBeCloseTo(0.9 ** 3, 6);
    expect(byName['beta2_power']).toBeCloseTo(0.999 ** 3, 6);
    expect(trainableVariables(graph).map((v) => v.name)).toEqual(['var0', 'var1']);
  });

  it('uses TF1 defaults (lr 0.001, epsilon 1e-8)', async () => {
    const { step } = await setup(() => new AdamOptimizer());
    const ref = adamReference(1, GRAD0, 1, 0.001);
    expectValues((await step())[0], [ref[0]!, ref[0]! + 1]);
  });
});

describe('RMSPropOptimizer', () => {
  function rmsReference(
    start: number,
    g: number,
    steps: number,
    o: { lr: number; decay: number; momentum: number; eps: number; centered: boolean },
  ): number[] {
    let ms = 1; // TF1 starts the rms slot at ones
    let mg = 0;
    let mom = 0;
    let x = start;
    const out: number[] = [];
    for (let t = 0; t < steps; t++) {
      ms = ms + (g * g - ms) * (1 - o.decay);
      let denom = ms;
      if (o.centered) {
        mg = mg + (g - mg) * (1 - o.decay);
        denom = ms - mg * mg;
      }
      mom = mom * o.momentum + (o.lr * g) / Math.sqrt(denom + o.eps);
      x -= mom;
      out.push(x);
    }
    return out;
  }

  it.each([false, true])('matches TF1 update rules for two steps (centered=%s)', async (centered) => {
    const o = { lr: 0.1, decay: 0.9, momentum: 0.5, eps: 1e-3, centered };
    const { step, opt, var0 } = await setup(
      () => new RMSPropOptimizer(o.lr, { decay: o.decay, momentum: o.momentum, epsilon: o.eps, centered }),
    );
    const [a1, b1] = await step();
    if (!centered) {
      // by hand: ms = 1 + (0.01 - 1) * 0.1 = 0.901; mom = 0.1 * 0.1 / sqrt(0.902)
      expect(a1[0]).toBeCloseTo(1 - 0.01 / Math.sqrt(0.902), 5);
    }
    const [a2, b2] = await step();
    const r = (start: number, g: number) => rmsReference(start, g, 2, o);
    expectValues(a1, [r(1, GRAD0)[0]!, r(2, GRAD0)[0]!]);
    expectValues(b1, [r(3, GRAD1)[0]!, r(4, GRAD1)[0]!]);
    expectValues(a2, [r(1, GRAD0)[1]!, r(2, GRAD0)[1]!]);
    expectValues(b2, [r(3, GRAD1)[1]!, r(4, GRAD1)[1]!]);
    expect(opt.getSlot(var0, 'rms')!.name).toBe('var0/RMSProp');
    expect(opt.getSlot(var0, centered ? 'mg' : 'momentum')!.name).toBe('var0/RMSProp_1');
    if (centered) expect(opt.getSlot(var0, 'momentum')!.name).toBe('var0/RMSProp_2');
  });
});

describe('AdagradOptimizer', () => {
  it('accumulator starts at 0.1, no epsilon: two steps by hand', async () => {
    const { step, opt, var0 } = await setup(() => new AdagradOptimizer(3));
    // accum = 0.1 + 0.01 = 0.11; var -= 3 * 0.1 / sqrt(0.11)
    const first = (3 * 0.1) / Math.sqrt(0.11);
    expectValues((await step())[0], [1 - first, 2 - first]);
    const second = (3 * 0.1) / Math.sqrt(0.12);
    expectValues((await step())[0], [1 - first - second, 2 - first - second]);
    expect(opt.getSlot(var0, 'accumulator')!.name).toBe('var0/Adagrad');
    expect(() => new AdagradOptimizer(1, { initialAccumulatorValue: 0 })).toThrow(
      /initialAccumulatorValue must be positive, got 0/,
    );
  });
});
