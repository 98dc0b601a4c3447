import { describe, expect, it } from 'vitest';
import { Graph, Session, mul, ndarray, placeholder, reduceSum } from '../index.js';
import { PlanArena } from '../cpu_backend/plan_arena.js';
import { isReusedMemory } from '../cpu_backend/tensor_heap.js';
import { SessionDeviceContext } from '../gpu_backend/device_context.js';
import { FetchedOutputMemory } from './fetched_output_memory.js';
import { buildPlan } from './plan.js';

function smallGraph() {
  const g = new Graph();
  const t = g.asDefault(() => {
    const x = placeholder('float32', [3], { name: 'x' });
    const loss = reduceSum(mul(x, x));
    const anyLength = placeholder('float32', [null], { name: 'anyLength' });
    const big = placeholder('float32', [2000], { name: 'big' });
    return {
      x,
      loss,
      doubled: mul(x, 2),
      scaledLoss: mul(loss, 3),
      twiceAny: mul(anyLength, 2),
      twiceBig: mul(big, 2),
    };
  });
  return { g, ...t };
}

describe('fetched outputs made fresh (FetchedOutputMemory)', () => {
  it('never lets a later run change a fetched value, read by later steps or not', async () => {
    const { g, x, loss, doubled, scaledLoss } = smallGraph();
    using sess = new Session(g);
    const results = [];
    for (let i = 1; i <= 4; i++)
      results.push(await sess.run([loss, doubled, scaledLoss], new Map([[x, ndarray([i, 0, 1])]])));
    results.forEach(([l, d, s], n) => {
      const i = n + 1;
      expect([l.item(), d.toArray(), s.item()]).toEqual([i * i + 1, [2 * i, 0, 2], 3 * (i * i + 1)]);
      for (const value of [l, d, s]) expect(isReusedMemory(value.data.buffer)).toBe(false);
    });
  });

  it('is planned only for a step whose one used output is fetched, small and of a known size', () => {
    const { x, loss, doubled, twiceAny, twiceBig } = smallGraph();
    const [anyLength, big] = [twiceAny.op.inputs[0]!, twiceBig.op.inputs[0]!];
    const plan = buildPlan(
      [loss, twiceAny, twiceBig],
      [x, anyLength, big],
      'cpu',
      new SessionDeviceContext('cpu', false).resolveKernel,
    );
    const arena = new PlanArena();
    const planned = plan.steps.filter(
      (step) => FetchedOutputMemory.forStep(step, plan.fetchSlots, arena) !== undefined,
    );
    // Sum (the fetched loss) only: not the Mul it reads, nor the outputs of unknown or large size.
    expect(planned.map((step) => step.op.type)).toEqual(['Sum']);
    expect(doubled.op.type).toBe('Mul');
    arena.dispose();
  });

  it('hands out one fresh array per run, of the output kind; everything else is arena memory', () => {
    const { x, loss } = smallGraph();
    const plan = buildPlan([loss], [x], 'cpu', new SessionDeviceContext('cpu', false).resolveKernel);
    const arena = new PlanArena();
    const memory = FetchedOutputMemory.forStep(plan.steps.find((s) => s.op.type === 'Sum')!, plan.fetchSlots, arena)!;
    memory.rearm();
    const accumulator = memory.array('float64', 1);
    const output = memory.array('float32', 1);
    const another = memory.array('float32', 1);
    expect(memory.fresh).toBe(output);
    expect(isReusedMemory(output.buffer)).toBe(false);
    expect([accumulator, another].map((a) => isReusedMemory(a.buffer))).toEqual([true, true]);
    memory.rearm();
    expect(memory.fresh).toBeNull();
    const next = memory.array('float32', 1);
    expect(next).not.toBe(output);
    expect(isReusedMemory(next.buffer)).toBe(false);
    arena.endRun();
    arena.dispose();
  });
});
