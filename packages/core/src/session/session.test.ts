import { describe, expect, it } from 'vitest';
import { Graph, Session, Variable, globalVariablesInitializer } from '../index.js';

describe('Session with variables (seed program)', () => {
  it('assigns 13, a second session sees the variable uninitialized, re-init reads 42', async () => {
    const g = new Graph();
    const { v, assign13 } = g.asDefault(() => {
      const v = new Variable(42, { name: 'foo' });
      return { v, assign13: v.assign(13) };
    });
    const s1 = new Session(g);
    await s1.run(globalVariablesInitializer({ graph: g }));
    expect((await s1.run(assign13)).item()).toBe(13);
    expect((await s1.run(v)).item()).toBe(13);
    const s2 = new Session(g);
    await expect(s2.run(v)).rejects.toThrow(/^Attempting to use uninitialized value foo$/);
    await s2.run(v.initializer);
    expect((await s2.run(v)).item()).toBe(42);
    expect((await s1.run(v)).item()).toBe(13);
  });
});
