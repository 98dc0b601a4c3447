import { describe, expect, it } from 'vitest';
import {
  Graph,
  InvalidArgumentError,
  type NDArray,
  Session,
  Variable,
  constant,
  globalVariablesInitializer,
  mul,
  reduceSum,
} from '@tsflow/core';
import { AdamOptimizer, GradientDescentOptimizer, MomentumOptimizer, getOrCreateGlobalStep } from '../index.js';

function expectValues(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    expect(a).toBeCloseTo(expected[i]!, 5);
  });
}

describe('Optimizer.minimize', () => {
  it('increments the global step once per run, after the updates', async () => {
    const graph = new Graph();
    const { w, globalStep, trainOp } = graph.asDefault(() => {
      const w = new Variable([1, 2], { name: 'w' });
      const globalStep = getOrCreateGlobalStep();
      const trainOp = new GradientDescentOptimizer(3).minimize(reduceSum(mul(w, 0.1)), { globalStep });
      return { w, globalStep, trainOp };
    });
    expect(graph.asDefault(() => getOrCreateGlobalStep())).toBe(globalStep);
    expect(globalStep.name).toBe('global_step');
    expect(globalStep.dtype).toBe('int32');
    expect(globalStep.trainable).toBe(false);
    const session = new Session(graph);
    await session.run(graph.asDefault(() => globalVariablesInitializer()));
    for (let i = 0; i < 3; i++) await session.run(trainOp);
    expect(((await session.run(globalStep)) as NDArray).item()).toBe(3);
    expectValues(Array.from(((await session.run(w)) as NDArray).data), [1 - 0.9, 2 - 0.9]);
  });

  it('reuses slots when minimize is called twice, and lists the slot names', () => {
    const graph = new Graph();
    graph.asDefault(() => {
      const w = new Variable([1, 2], { name: 'w' });
      const opt = new AdamOptimizer(0.1);
      opt.minimize(reduceSum(w));
      opt.minimize(reduceSum(mul(w, w)));
      expect(opt.getSlotNames()).toEqual(['m', 'v']);
      expect(
        opt
          .variables()
          .map((v) => v.name)
          .sort(),
      ).toEqual(['beta1_power', 'beta2_power', 'w/Adam', 'w/Adam_1']);
    });
  });

  it('keeps Adam beta powers per graph, so one optimizer can train in two graphs', async () => {
    const opt = new AdamOptimizer(0.1);
    for (const graph of [new Graph(), new Graph()]) {
      const { w, trainOp, init } = graph.asDefault(() => {
        const w = new Variable([1, 2], { name: 'w' });
        return { w, trainOp: opt.minimize(reduceSum(mul(w, w))), init: globalVariablesInitializer() };
      });
      using session = new Session(graph);
      await session.run(init);
      await session.run(trainOp);
      // Adam's first step moves each weight by lr, whatever the gradient's scale.
      expectValues(Array.from(((await session.run(w)) as NDArray).data), [0.9, 1.9]);
    }
    expect(opt.variables().filter((v) => v.name === 'beta1_power')).toHaveLength(2);
  });

  it('throws for no variables and for a loss that does not depend on them', () => {
    const graph = new Graph();
    graph.asDefault(() => {
      expect(() => new GradientDescentOptimizer(1).minimize(reduceSum(constant([1, 2])))).toThrow(
        /^No variables to optimize\.$/,
      );
      const w = new Variable([1, 2], { name: 'w' });
      expect(() => new GradientDescentOptimizer(1).minimize(reduceSum(constant([1, 2])), { varList: [w] })).toThrow(
        InvalidArgumentError,
      );
      expect(() => new GradientDescentOptimizer(1).minimize(reduceSum(constant([1, 2])), { varList: [w] })).toThrow(
        /^No gradients provided for any variable, check your graph for ops that do not support gradients, between variables \["Variable\("w", shape=\[2\], dtype=float32\)"\] and loss Tensor\("Sum(_\d+)?:0", shape=\[\], dtype=float32\)\.$/,
      );
      expect(() => new GradientDescentOptimizer(1).applyGradients([[null, w]])).toThrow(
        /^No gradients provided for any variable: \["w"\]\.$/,
      );
      expect(() => new GradientDescentOptimizer(1).applyGradients([[constant([1, 2, 3]), w]])).toThrow(
        /gradient Const(_\d+)?:0 is float32\[3\], expected float32\[2\] like variable 'w'/,
      );
      const loss = reduceSum(mul(w, w));
      expect(() => new GradientDescentOptimizer(1).minimize(loss, { varList: w as never })).toThrow(
        /^GradientDescent\.computeGradients: varList must be an array of Variables$/,
      );
      expect(() =>
        new GradientDescentOptimizer(1).applyGradients([
          [constant([1, 2]), w],
          [constant([3, 4]), w],
        ]),
      ).toThrow(/^GradientDescent\.applyGradients: variable 'w' appears more than once$/);
      expect(() => new GradientDescentOptimizer(1).applyGradients([w] as never)).toThrow(
        /^GradientDescent\.applyGradients: item 0 must be a \[gradient, variable\] pair$/,
      );
      expect(() => new GradientDescentOptimizer([0.1] as never).minimize(loss)).toThrow(
        /^GradientDescent: learning_rate must be a finite number or a float32 Tensor, got \[0\.1\]$/,
      );
    });
  });
});

describe('training op names', () => {
  it('are the optimizer scope names, as in TF: Adam, then Adam_1; with a global step too', () => {
    const graph = new Graph();
    graph.asDefault(() => {
      const w = new Variable([1, 2], { name: 'w' });
      const loss = reduceSum(mul(w, w));
      expect(new AdamOptimizer(0.1).minimize(loss).name).toBe('Adam');
      expect(new AdamOptimizer(0.1).minimize(loss).name).toBe('Adam_1');
      const step = getOrCreateGlobalStep();
      const withStep = new GradientDescentOptimizer(0.1).minimize(loss, { globalStep: step });
      expect(withStep.name).toBe('GradientDescent');
      expect(withStep.type).toBe('AssignAdd');
      expect(new MomentumOptimizer(0.1, 0.9).minimize(loss, { name: 'train' }).name).toBe('train');
    });
  });
});
