import { describe, expect, it } from 'vitest';
import {
  FailedPreconditionError,
  Graph,
  type NDArray,
  Session,
  Variable,
  constant,
  controlDependencies,
  globalVariablesInitializer,
  identity,
  ndarray,
  noOp,
  placeholder,
  reportUninitializedVariables,
  reshape,
} from '../index.js';

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

describe('Session.run fetches', () => {
  const build = () => {
    const g = new Graph();
    const t = g.asDefault(() => {
      const x = placeholder('float32', [null, 3], { name: 'x' });
      const c = constant([1, 2, 3], { name: 'c' });
      return { x, c, y: identity(x, { name: 'y' }), n: noOp({ name: 'n' }) };
    });
    return { g, ...t };
  };

  it('mirrors nested arrays and objects; operations give null; names resolve', async () => {
    const { g, c, n } = build();
    using s = new Session(g);
    const out = await s.run({ a: [c, [n, 'c:0']], b: { deep: { op: 'n', t: c } } });
    expect(out.a[0].toArray()).toEqual([1, 2, 3]);
    expect(out.a[1][0]).toBeNull();
    expect((out.a[1][1] as NDArray).toArray()).toEqual([1, 2, 3]);
    expect(out.b.deep.op).toBeNull();
    expect(out.b.deep.t.toArray()).toEqual([1, 2, 3]);
  });

  it('gives each duplicate fetch the value, and fetched values never alias graph constants', async () => {
    const { g, c } = build();
    const s = new Session(g);
    const [a, b] = await s.run([c, c]);
    expect(a.toArray()).toEqual([1, 2, 3]);
    expect(b.toArray()).toEqual([1, 2, 3]);
    a.data[0] = 100;
    expect((await s.run(c)).toArray()).toEqual([1, 2, 3]);
  });

  it('rejects fetches that are not graph elements', async () => {
    const { g } = build();
    const other = new Graph().asDefault(() => constant(1, { name: 'z' }));
    const s = new Session(g);
    await expect(s.run(other)).rejects.toThrow(/is not an element of this graph/);
    await expect(s.run(42 as never)).rejects.toThrow(/Fetch argument 42 \(number\) at fetches has invalid type/);
    await expect(s.run({ a: ['c:0', 42] } as never)).rejects.toThrow(
      /Fetch argument 42 \(number\) at fetches\.a\[1\] has invalid type/,
    );
    await expect(s.run('foo:0')).rejects.toThrow(
      /^The name 'foo:0' refers to a Tensor which does not exist\. The operation, 'foo', does not exist in the graph\.$/,
    );
  });
});

describe('Session.run feeds', () => {
  const build = () => {
    const g = new Graph();
    const t = g.asDefault(() => {
      const x = placeholder('float32', [null, 3], { name: 'x' });
      const k = placeholder('int32', [2], { name: 'k' });
      const c = constant([1, 2, 3], { name: 'c' });
      return { x, k, c, y: identity(x, { name: 'y' }), cc: identity(c, { name: 'cc' }) };
    });
    return { g, ...t };
  };

  it('accepts a Map keyed by tensors or names, and objects keyed by tensor or op name', async () => {
    const { g, x, y } = build();
    const s = new Session(g);
    const v = [[1, 2, 3]];
    expect((await s.run(y, new Map([[x, v]]))).toArray()).toEqual(v);
    expect((await s.run(y, new Map([['x:0', v]]))).toArray()).toEqual(v);
    expect((await s.run(y, { 'x:0': v })).toArray()).toEqual(v);
    expect((await s.run(y, { x: ndarray(v) })).toArray()).toEqual(v);
  });

  it('takes the shape of a typed-array feed from the tensor (one unknown dim inferred)', async () => {
    const { g, y, k } = build();
    const s = new Session(g);
    const out = await s.run(y, { x: new Float32Array([1, 2, 3, 4, 5, 6]) });
    expect(out.shape).toEqual([2, 3]);
    expect((await s.run(k, { k: new Int32Array([7, 8]) })).toArray()).toEqual([7, 8]);
    await expect(s.run(y, { x: new Float32Array(4) })).rejects.toThrow(
      /Cannot feed a flat array of 4 elements for Tensor 'x:0', which has shape \[\?,3\]/,
    );
  });

  it('feeds any tensor, and ancestors needed only for it do not run', async () => {
    const { g, cc, y } = build();
    const s = new Session(g);
    expect((await s.run(cc, { c: [7, 8, 9] })).toArray()).toEqual([7, 8, 9]);
    // y's placeholder is not needed when y itself is fed.
    expect((await s.run(y, { y: [[4, 5, 6]] })).toArray()).toEqual([[4, 5, 6]]);
  });

  it('pins feed errors', async () => {
    const { g, y, k } = build();
    const s = new Session(g);
    await expect(s.run(y)).rejects.toThrow(
      /^You must feed a value for placeholder tensor 'x' with dtype float32 and shape \[\?,3\]$/,
    );
    await expect(s.run(y, { x: [1, 2] })).rejects.toThrow(
      /^Cannot feed value of shape \[2\] for Tensor 'x:0', which has shape \[\?,3\]$/,
    );
    await expect(s.run(k, { k: [1.5, 2] })).rejects.toThrow(
      /Cannot feed value for Tensor 'k:0' with dtype int32: element 0 is 1.5, not a 32-bit integer/,
    );
    await expect(s.run(k, { k: 'abc' as never })).rejects.toThrow(/Cannot feed value of type string for Tensor 'k:0'/);
    await expect(s.run(y, { nope: 1 })).rejects.toThrow(/The name 'nope' refers to an Operation not in the graph/);
    await expect(s.run(y, new Map<never, number>([[{} as never, 1]]))).rejects.toThrow(/Feed key must be a Tensor/);
  });
});

describe('Session pruning, plans and lifecycle', () => {
  it('runs only the ancestors of the fetches: running p never runs m', async () => {
    const g = new Graph();
    const { v, p, m } = g.asDefault(() => {
      const v = new Variable(0, { name: 'v' });
      return { v, p: v.assignAdd(1), m: v.assignSub(2) };
    });
    const s = new Session(g);
    await s.run(v.initializer);
    expect((await s.run(p)).item()).toBe(1);
    expect((await s.run(p)).item()).toBe(2);
    expect((await s.run(v)).item()).toBe(2);
    expect((await s.run(m)).item()).toBe(0);
  });

  it('runs control inputs of fetched ops', async () => {
    const g = new Graph();
    const { v, out } = g.asDefault(() => {
      const v = new Variable(1, { name: 'v' });
      const bump = v.assignAdd(10);
      return { v, out: controlDependencies([bump], () => noOp({ name: 'after' })) };
    });
    const s = new Session(g);
    await s.run(v.initializer);
    expect(await s.run(out)).toBeNull();
    expect((await s.run(v)).item()).toBe(11);
  });

  it('caches one plan per fetch and feed set', async () => {
    const g = new Graph();
    const { x, y, c } = g.asDefault(() => {
      const x = placeholder('float32', [], { name: 'x' });
      return { x, y: identity(x), c: constant(2) };
    });
    const s = new Session(g);
    for (let i = 0; i < 5; i++) await s.run(y, { x: i });
    expect(s.cachedPlanCount).toBe(1);
    await s.run([y, c], new Map([[x, 1]]));
    expect(s.cachedPlanCount).toBe(2);
    await s.run(y, { 'x:0': 3 });
    expect(s.cachedPlanCount).toBe(2);
  });

  it('keeps two sessions on one graph independent', async () => {
    const g = new Graph();
    const { v, a } = g.asDefault(() => {
      const v = new Variable(5, { name: 'v' });
      return { v, a: v.assign(9) };
    });
    const s1 = new Session(g);
    const s2 = new Session(g);
    await s1.run(v.initializer);
    await s2.run(v.initializer);
    await s1.run(a);
    expect((await s1.run(v)).item()).toBe(9);
    expect((await s2.run(v)).item()).toBe(5);
  });

  it('closes: later runs throw, and `using` closes at scope exit', async () => {
    const g = new Graph();
    const c = g.asDefault(() => constant(1));
    let escaped: Session;
    {
      using s = new Session(g);
      escaped = s;
      expect((await s.run(c)).item()).toBe(1);
    }
    await expect(escaped.run(c)).rejects.toThrow(FailedPreconditionError);
    await expect(escaped.run(c)).rejects.toThrow(/^Attempted to use a closed Session\.$/);
  });

  it('reports uninitialized variables', async () => {
    const g = new Graph();
    const { a, report } = g.asDefault(() => {
      const a = new Variable(1, { name: 'a' });
      new Variable(2, { name: 'b' });
      return { a, report: reportUninitializedVariables() };
    });
    const s = new Session(g);
    expect((await s.run(report)).toArray()).toEqual([true, true]);
    await s.run(a.initializer);
    expect((await s.run(report)).toArray()).toEqual([false, true]);
    expect(s.uninitializedVariableNames()).toEqual(['b']);
  });

  it('rejects unknown devices and non-graphs', () => {
    expect(() => new Session(new Graph(), { device: 'tpu' as never })).toThrow(/unknown device 'tpu'/);
    expect(() => new Session({} as never)).toThrow(/graph must be a Graph/);
  });

  it('validates Variable inputs', () => {
    const g = new Graph();
    g.asDefault(() => {
      const x = placeholder('float32', [null], { name: 'x' });
      expect(() => new Variable(x)).toThrow(/initial value must have a fully defined shape, got \[\?\]/);
      const v = new Variable([1, 2], { name: 'v' });
      expect(() => v.assign([1, 2, 3])).toThrow(
        /Shapes must be equal rank and compatible for 'Assign' \(op: 'Assign'\) with input shapes: \[2\], \[3\]\./,
      );
      expect(() => new Variable([1], { dtype: 'int32' }).assign(constant([1.5]))).toThrow(
        /value has dtype float32 but the variable has dtype int32/,
      );
    });
  });
});

describe('Session storage isolation', () => {
  it('copies fetched views of constants and variables (reshape shares data inside a run)', async () => {
    const g = new Graph();
    const { c, r, v, rv } = g.asDefault(() => {
      const c = constant([1, 2, 3, 4], { name: 'c' });
      const v = new Variable([[5, 6]], { name: 'v' });
      return { c, r: reshape(c, [2, 2]), v, rv: reshape(v, [2]) };
    });
    const s = new Session(g);
    await s.run(v.initializer);
    const [rc, rvv] = await s.run([r, rv]);
    rc.data[0] = 100;
    rvv.data[0] = 100;
    expect((await s.run(c)).toArray()).toEqual([1, 2, 3, 4]);
    expect((await s.run(v)).toArray()).toEqual([[5, 6]]);
  });

  it('stores a copy on assign, so reusing a fed buffer never changes the variable', async () => {
    const g = new Graph();
    const { v, x, assign } = g.asDefault(() => {
      const v = new Variable([0, 0], { name: 'v' });
      const x = placeholder('float32', [2], { name: 'x' });
      return { v, x, assign: v.assign(x) };
    });
    const s = new Session(g);
    const buffer = new Float32Array([1, 2]);
    await s.run(assign, new Map([[x, buffer]]));
    buffer[0] = 99; // the caller reuses its batch buffer
    expect((await s.run(v)).toArray()).toEqual([1, 2]);
  });
});
