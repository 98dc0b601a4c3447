import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  Session,
  Variable,
  globalVariablesInitializer,
  mul,
  reduceSum,
  square,
  sub,
} from '@tsflow/core';
import { AdamOptimizer, getOrCreateGlobalStep } from '../index.js';

describe('training graphs survive toJSON / fromJSON', () => {
  it('a rebuilt graph trains exactly like the original (slots, beta powers, global step)', async () => {
    const graph = new Graph();
    const { trainOp, loss, init } = graph.asDefault(() => {
      const w = new Variable([1, -2, 3], { name: 'w' });
      const loss = reduceSum(square(sub(mul(w, 2), 1)), undefined, false, { name: 'loss' });
      const trainOp = new AdamOptimizer(0.1).minimize(loss, { globalStep: getOrCreateGlobalStep() });
      return { trainOp, loss, init: globalVariablesInitializer() };
    });
    const rebuilt = Graph.fromJSON(JSON.parse(JSON.stringify(graph.toJSON())));
    const runAll = async (g: Graph, names: { init: string; train: string; loss: string }) => {
      const session = new Session(g);
      await session.run(names.init);
      const losses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const [value] = (await session.run([names.loss, names.train])) as [NDArray, null];
        losses.push(value.item());
      }
      const step = ((await session.run('global_step:0')) as NDArray).item();
      session.close();
      return { losses, step };
    };
    const names = { init: init.name, train: trainOp.name, loss: loss.name };
    const original = await runAll(graph, names);
    const copy = await runAll(rebuilt, names);
    expect(copy).toEqual(original);
    expect(original.step).toBe(5);
    expect(original.losses[4]!).toBeLessThan(original.losses[0]!);
  });
});
