import { describe, expect, it } from 'vitest';
import {
  FailedPreconditionError,
  Graph,
  InvalidArgumentError,
  NotFoundError,
  Session,
  Variable,
  constant,
  controlDependencies,
  fill,
  getDefaultGraph,
  identity,
  nameScope,
  noOp,
  placeholder,
  resetDefaultGraph,
} from '../index.js';

describe('Graph naming', () => {
  it('uniquifies names: foo, foo_1, foo_2; an explicit taken foo_1 becomes foo_1_1', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(constant(1, { name: 'foo' }).op.name).toBe('foo');
      expect(constant(1, { name: 'foo' }).op.name).toBe('foo_1');
      expect(constant(1, { name: 'foo' }).op.name).toBe('foo_2');
      expect(constant(1, { name: 'foo_1' }).op.name).toBe('foo_1_1');
    });
  });

  it('compares names case-insensitively like TF: bar then Bar gives Bar_1, keeping the requested case', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(constant(1, { name: 'bar' }).op.name).toBe('bar');
      expect(constant(1, { name: 'Bar' }).op.name).toBe('Bar_1');
      expect(constant(1, { name: 'BAR' }).op.name).toBe('BAR_2');
      // 'bar_1' is taken (as Bar_1), so an explicit 'BAR_1' is suffixed again.
      expect(constant(1, { name: 'BAR_1' }).op.name).toBe('BAR_1_1');
      expect(new Variable(1, { name: 'W' }).name).toBe('W');
      expect(new Variable(1, { name: 'w' }).name).toBe('w_1');
      expect(nameScope('Dense', () => constant(1, { name: 'k' })).name).toBe('Dense/k:0');
      expect(nameScope('dense', () => constant(1, { name: 'k' })).name).toBe('dense_1/k:0');
    });
    // Lookups stay exact.
    expect(g.getOperation('bar').name).toBe('bar');
    expect(() => g.getOperation('Bar')).toThrow(/The name 'Bar' refers to an Operation not in the graph/);
  });

  it('takes a name ending in / verbatim, so an op can share its scope name', () => {
    const g = new Graph();
    g.asDefault(() => {
      let scope = '';
      const inner = nameScope('Adam', () => {
        scope = g.currentScope;
        return constant(1, { name: 'lr' });
      });
      expect(inner.name).toBe('Adam/lr:0');
      expect(identity(inner, { name: scope }).op.name).toBe('Adam');
      expect(() => identity(inner, { name: scope })).toThrow(/An operation named 'Adam' already exists in the graph/);
    });
  });

  it("defaults an op's name to its type", () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(constant(1).op.name).toBe('Const');
      expect(constant(2).op.name).toBe('Const_1');
      expect(identity(3).op.name).toBe('Identity');
    });
  });

  it('prefixes names in nameScope, uniquifies scopes and nests them', () => {
    const g = new Graph();
    g.asDefault(() => {
      const a = nameScope('layer1', () => constant(1, { name: 'w' }));
      const b = nameScope('layer1', () => nameScope('inner', () => constant(1, { name: 'w' })));
      const c = nameScope('layer1/', () => constant(1, { name: 'w' }));
      expect(a.name).toBe('layer1/w:0');
      expect(b.name).toBe('layer1_1/inner/w:0');
      expect(c.name).toBe('layer1/w_1:0');
    });
  });

  it('puts variable init ops under the variable name', () => {
    const g = new Graph();
    const v = g.asDefault(() => nameScope('dense', () => new Variable([1, 2], { name: 'kernel' })));
    expect(v.name).toBe('dense/kernel');
    expect(v.initializer.name).toBe('dense/kernel/Assign');
    expect(v.shape).toEqual([2]);
  });
});

describe('Graph structure', () => {
  it('records operations in creation order with inputs, outputs and tensors named op:index', () => {
    const g = new Graph();
    const [x, y] = g.asDefault(() => {
      const x = constant([1, 2, 3]);
      return [x, identity(x, { name: 'y' })] as const;
    });
    expect(g.operations.map((o) => o.name)).toEqual(['Const', 'y']);
    expect(y.op.inputs).toEqual([x]);
    expect(y.name).toBe('y:0');
    expect(y.shape).toEqual([3]);
    expect(y.dtype).toBe('float32');
    expect(g.getOperation('y')).toBe(y.op);
    expect(g.getTensor('y:0')).toBe(y);
    expect(y.graph).toBe(g);
  });

  it('names missing tensors and operations', () => {
    const g = new Graph();
    g.asDefault(() => constant(1, { name: 'c' }));
    expect(() => g.getTensor('foo:0')).toThrow(NotFoundError);
    expect(() => g.getTensor('foo:0')).toThrow(
      /^The name 'foo:0' refers to a Tensor which does not exist\. The operation, 'foo', does not exist in the graph\.$/,
    );
    expect(() => g.getTensor('c:1')).toThrow(/The operation, 'c', exists but only has 1 outputs\./);
    expect(() => g.getOperation('nope')).toThrow(/^The name 'nope' refers to an Operation not in the graph\.$/);
    expect(() => g.getTensor('c')).toThrow(InvalidArgumentError);
  });

  it('adds control inputs inside controlDependencies, nested and cleared by null', () => {
    const g = new Graph();
    g.asDefault(() => {
      const a = noOp({ name: 'a' });
      const b = constant(1, { name: 'b' });
      const [c, d, e] = controlDependencies([a], () =>
        controlDependencies(
          [b],
          () => [identity(1), controlDependencies(null, () => identity(2)), identity(3)] as const,
        ),
      );
      expect(c.op.controlInputs.map((o) => o.name).sort()).toEqual(['a', 'b']);
      expect(d.op.controlInputs).toEqual([]);
      expect(e.op.controlInputs.length).toBe(2);
    });
  });

  it('refuses new ops once finalized', () => {
    const g = new Graph();
    g.finalize();
    expect(() => g.asDefault(() => constant(1))).toThrow(FailedPreconditionError);
    expect(() => g.asDefault(() => constant(1))).toThrow(/^Graph is finalized and cannot be modified\.$/);
  });

  it('rejects invalid op names', () => {
    const g = new Graph();
    expect(() => g.asDefault(() => constant(1, { name: 'bad name!' }))).toThrow(/is not a valid node name/);
  });

  it('refuses to mix tensors of different graphs', () => {
    const g1 = new Graph();
    const g2 = new Graph();
    const a = g1.asDefault(() => constant(1, { name: 'a' }));
    expect(() => g2.asDefault(() => new Variable(a))).not.toThrow(); // the variable goes to a's graph
    const b = g2.asDefault(() => constant(1, { name: 'b' }));
    expect(() => g1.asDefault(() => controlDependencies([b], () => identity(a)))).toThrow(/different graph/);
  });
});

describe('default graph', () => {
  it('asDefault nests, returns fn result and restores on throw', () => {
    const outer = getDefaultGraph();
    const g1 = new Graph();
    const g2 = new Graph();
    const result = g1.asDefault(() => {
      expect(getDefaultGraph()).toBe(g1);
      g2.asDefault(() => expect(getDefaultGraph()).toBe(g2));
      expect(() =>
        g2.asDefault(() => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(getDefaultGraph()).toBe(g1);
      return 7;
    });
    expect(result).toBe(7);
    expect(getDefaultGraph()).toBe(outer);
  });

  it('resetDefaultGraph gives a fresh graph and is refused inside asDefault', () => {
    constant(1);
    const fresh = resetDefaultGraph();
    expect(getDefaultGraph()).toBe(fresh);
    expect(fresh.operations.length).toBe(0);
    expect(() => new Graph().asDefault(() => resetDefaultGraph())).toThrow(FailedPreconditionError);
  });
});

describe('Graph JSON', () => {
  it('round-trips ops, attrs, constants, control inputs and variables', async () => {
    const g = new Graph();
    g.seed = 7;
    g.asDefault(() => {
      const x = placeholder('float32', [null, 2], { name: 'x' });
      const v = new Variable([[1, 2]], { name: 'v' });
      const n = noOp({ name: 'n' });
      controlDependencies([n], () => identity(x, { name: 'out' }));
      new Variable(constant([5], { dtype: 'int32' }), { name: 'counter', trainable: false });
      return v;
    });
    const json = JSON.parse(JSON.stringify(g.toJSON()));
    const g2 = Graph.fromJSON(json);
    expect(g2.operations.map((o) => [o.name, o.type])).toEqual(g.operations.map((o) => [o.name, o.type]));
    expect(g2.seed).toBe(7);
    expect(g2.getTensor('x:0').shape).toEqual([null, 2]);
    expect(g2.getOperation('out').controlInputs.map((o) => o.name)).toEqual(['n']);
    const vars = g2.getCollection<Variable>('variables');
    expect(vars.map((v) => v.name)).toEqual(['v', 'counter']);
    expect(g2.getCollection<Variable>('trainable_variables')).toEqual([vars[0]]);
    const s = new Session(g2);
    await s.run(vars.map((v) => v.initializer));
    expect((await s.run(vars[1]!)).toArray()).toEqual([5]);
    expect((await s.run('out:0', { x: [[3, 4]] }))!.toArray()).toEqual([[3, 4]]);
    // New ops uniquify against the restored names.
    expect(g2.asDefault(() => constant(1, { name: 'v' })).op.name).toBe('v_1');
  });

  it('keeps non-finite number attributes', async () => {
    const g = new Graph();
    g.asDefault(() => fill([2], Number.NEGATIVE_INFINITY, 'float32'));
    const g2 = Graph.fromJSON(JSON.parse(JSON.stringify(g.toJSON())));
    expect((await new Session(g2).run(g2.operations[0]!.output)).toArray()).toEqual([-Infinity, -Infinity]);
  });

  it('rejects documents that are not tsflow graphs, without evaluating anything', () => {
    expect(() => Graph.fromJSON({ hello: 1 })).toThrow(/not a tsflow graph/);
    expect(() => Graph.fromJSON({ format: 'tsflow-graph', version: 1, operations: [{ name: 'a' }] })).toThrow(
      /Graph.fromJSON: operation 0 \('a'\): type must be a string, got undefined/,
    );
  });
});
