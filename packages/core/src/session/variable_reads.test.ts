import { describe, expect, it } from 'vitest';
import {
  Graph,
  Session,
  Variable,
  add,
  applyGradientDescent,
  controlDependencies,
  globalVariablesInitializer,
  gradients,
  identity,
  matMul,
  mul,
  reduceSum,
} from '../index.js';
import { DEVICES } from '../test_support/devices.js';

/*
 * TF1 ref semantics: a consumer reads a variable when the consumer runs, so whatever its
 * (control or data) ancestors assigned is visible. Expected values follow from the assigns.
 */
describe.each(DEVICES)('variable reads after control dependencies (%s)', (device) => {
  async function runOnce<T>(build: () => T, fetch: (built: T) => Parameters<Session['run']>[0]) {
    const g = new Graph();
    const built = g.asDefault(build);
    using sess = new Session(g, { device });
    await sess.run(globalVariablesInitializer({ graph: g }));
    return { sess, built, value: await sess.run(fetch(built)) };
  }

  it('identity under a control dependency on assign sees the assigned value', async () => {
    const { value } = await runOnce(
      () => {
        const v = new Variable(1);
        const asg = v.assign(5);
        return controlDependencies([asg], () => identity(v));
      },
      (r) => r,
    );
    expect((value as { item(): number }).item()).toBe(5);
  });

  it('add and matMul readers see the assigned value', async () => {
    const { value } = await runOnce(
      () => {
        const v = new Variable([
          [1, 2],
          [3, 4],
        ]);
        const asg = v.assign([
          [2, 0],
          [0, 2],
        ]);
        return controlDependencies([asg], () => ({ sum: add(v, 0), product: matMul(v, [[1], [1]]) }));
      },
      (r) => r,
    );
    const { sum, product } = value as { sum: { toArray(): unknown }; product: { toArray(): unknown } };
    expect(sum.toArray()).toEqual([
      [2, 0],
      [0, 2],
    ]);
    expect(product.toArray()).toEqual([[2], [2]]);
  });

  it('reads in the same run as an assignAdd ordered before them see the sum; repeated runs accumulate', async () => {
    const g = new Graph();
    const { v, r } = g.asDefault(() => {
      const v = new Variable(10);
      const inc = v.assignAdd(3);
      return { v, r: controlDependencies([inc], () => mul(v, 2)) };
    });
    using sess = new Session(g, { device });
    await sess.run(globalVariablesInitializer({ graph: g }));
    expect((await sess.run(r)).item()).toBe(26); // (10 + 3) * 2
    expect((await sess.run(r)).item()).toBe(32); // (13 + 3) * 2
    expect((await sess.run(v)).item()).toBe(16);
  });

  it('two readers, one ordered before the assign and one after, see the old and the new value', async () => {
    const g = new Graph();
    const { before, after } = g.asDefault(() => {
      const v = new Variable(1);
      const before = identity(v, { name: 'before' });
      const asg = controlDependencies([before], () => v.assign(7));
      const after = controlDependencies([asg], () => identity(v, { name: 'after' }));
      return { before, after };
    });
    using sess = new Session(g, { device });
    await sess.run(globalVariablesInitializer({ graph: g }));
    const [b, a] = await sess.run([before, after]);
    expect([b.item(), a.item()]).toEqual([1, 7]);
    // Fetch order must not matter: the dependencies decide.
    await sess.run(globalVariablesInitializer({ graph: g }));
    const [a2, b2] = await sess.run([after, before]);
    expect([b2.item(), a2.item()]).toEqual([1, 7]);
  });

  it('a reader ordered after the initializer works in the initializing run', async () => {
    const g = new Graph();
    const r = g.asDefault(() => {
      const v = new Variable(4);
      return controlDependencies([v.initializer], () => add(v, 1));
    });
    using sess = new Session(g, { device });
    expect((await sess.run(r)).item()).toBe(5);
  });

  it('a data dependency on the assign orders the read too', async () => {
    const { value } = await runOnce(
      () => {
        const v = new Variable(1);
        const asg = v.assign(9);
        const zero = controlDependencies([asg], () => mul(0, 1));
        return add(v, zero);
      },
      (r) => r,
    );
    expect((value as { item(): number }).item()).toBe(9);
  });

  it('fetched values stay isolated from later assigns', async () => {
    const g = new Graph();
    const { v, r, asg2 } = g.asDefault(() => {
      const v = new Variable([1, 2]);
      const asg = v.assign([5, 6]);
      return { v, r: controlDependencies([asg], () => identity(v)), asg2: v.assign([8, 9]) };
    });
    using sess = new Session(g, { device });
    await sess.run(globalVariablesInitializer({ graph: g }));
    const fetched = await sess.run(r);
    await sess.run(asg2);
    expect(fetched.toArray()).toEqual([5, 6]);
    expect((await sess.run(v)).toArray()).toEqual([8, 9]);
  });

  it("an update of one variable is invisible to another variable's gradient in the same step", async () => {
    // loss = sum(a * b): d/da = b, d/db = a. Updating b first (varList order) must not change d/da.
    const g = new Graph();
    const { a, b, train } = g.asDefault(() => {
      const a = new Variable([1, 2], { name: 'a' });
      const b = new Variable([3, 4], { name: 'b' });
      const [ga, gb] = gradients(reduceSum(mul(a, b)), [a, b]);
      const updateB = applyGradientDescent(b, 0.5, gb!);
      const updateA = applyGradientDescent(a, 0.5, ga!);
      return { a, b, train: [updateB, updateA] };
    });
    using sess = new Session(g, { device });
    await sess.run(globalVariablesInitializer({ graph: g }));
    await sess.run(train);
    const [av, bv] = await sess.run([a, b]);
    expect(av.toArray()).toEqual([1 - 0.5 * 3, 2 - 0.5 * 4]);
    expect(bv.toArray()).toEqual([3 - 0.5 * 1, 4 - 0.5 * 2]);
  });
});
