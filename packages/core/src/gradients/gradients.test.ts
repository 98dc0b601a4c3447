import { describe, expect, it } from 'vitest';
import {
  Graph,
  NDArray,
  NotFoundError,
  InvalidArgumentError,
  Session,
  Variable,
  constant,
  gradients,
  getGradient,
  identity,
  mul,
  placeholder,
  registerGradient,
  stopGradient,
} from '../index.js';
import { DEVICES } from '../test_support/devices.js';
import { addN, sumToShape } from '../ops/grad_support_ops.js';

async function run(
  graph: Graph,
  device: (typeof DEVICES)[number],
  fetches: (import('../index.js').Tensor | null)[],
  feeds?: Map<import('../index.js').Tensor, NDArray>,
) {
  const session = new Session(graph, { device });
  try {
    return await Promise.all(fetches.map((f) => (f === null ? null : (session.run(f, feeds) as Promise<NDArray>))));
  } finally {
    session.close();
  }
}

describe.each(DEVICES)('gradients() on %s', (device) => {
  it('gives 10 per use to a tensor summed with itself 10 times', async () => {
    const g = new Graph();
    const [x, dx] = g.asDefault(() => {
      const x = constant([1, 2, 3]);
      const y = addN(new Array(10).fill(x));
      return [x, gradients(y, [x])[0]!];
    });
    expect(x.shape).toEqual([3]);
    const [value] = await run(g, device, [dx]);
    expect(Array.from(value!.data)).toEqual([10, 10, 10]);
  });

  it('sums the gradients of a list of ys and of separate uses', async () => {
    const g = new Graph();
    const dx = g.asDefault(() => {
      const x = constant([[1, 2]]);
      const a = identity(x);
      const b = addN([x, a]);
      return gradients([a, b], [x])[0]!;
    });
    const [value] = await run(g, device, [dx]);
    expect(value!.shape).toEqual([1, 2]);
    expect(Array.from(value!.data)).toEqual([3, 3]);
  });

  it('returns the gradient at intermediate tensors listed in xs', async () => {
    const g = new Graph();
    const grads = g.asDefault(() => {
      const x = constant([1, 2]);
      const y = addN([x, x]);
      const z = addN([y, y, y]);
      return gradients(z, [x, y]);
    });
    const [dx, dy] = await run(g, device, grads);
    expect(Array.from(dx!.data)).toEqual([6, 6]);
    expect(Array.from(dy!.data)).toEqual([3, 3]);
  });

  it('blocks at stopGradient ops and at stopGradients tensors', async () => {
    const g = new Graph();
    const { blocked, viaOption, throughOther } = g.asDefault(() => {
      const x = constant([1, 2]);
      const blocked = gradients(stopGradient(x), [x]);
      const a = identity(x);
      const b = addN([a, x]);
      const viaOption = gradients(b, [x], { stopGradients: [a] });
      const throughOther = gradients(b, [x, a], { stopGradients: [a] });
      return { blocked, viaOption, throughOther };
    });
    expect(blocked).toEqual([null]);
    const [dx1] = await run(g, device, viaOption);
    expect(Array.from(dx1!.data)).toEqual([1, 1]);
    const [dx2, da] = await run(g, device, throughOther);
    expect(Array.from(dx2!.data)).toEqual([1, 1]);
    expect(Array.from(da!.data)).toEqual([1, 1]);
  });

  it("gives null to unconnected xs, or zeros of the runtime shape with unconnected: 'zero'", async () => {
    const g = new Graph();
    const { none, zero, p } = g.asDefault(() => {
      const x = constant([1, 2]);
      const p = placeholder('float32', [null, 2], { name: 'p' });
      const y = identity(x);
      return { none: gradients(y, [p]), zero: gradients(y, [p, x], { unconnected: 'zero' }), p };
    });
    expect(none).toEqual([null]);
    const [dp, dx] = await run(g, device, zero, new Map([[p, new NDArray('float32', [3, 2], new Float32Array(6))]]));
    expect(dp!.shape).toEqual([3, 2]);
    expect(Array.from(dp!.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(dx!.data)).toEqual([1, 1]);
  });

  it('gives an unconnected, uninitialized Variable zeros without reading it', async () => {
    const g = new Graph();
    const dv = g.asDefault(() => {
      const v = new Variable([[1, 2]], { name: 'unused' });
      return gradients(identity(constant(1)), [v], { unconnected: 'zero' })[0]!;
    });
    const [value] = await run(g, device, [dv]);
    expect(value!.toArray()).toEqual([[0, 0]]);
  });

  it('accepts Variables in xs, gives int tensors no gradient, and uses gradYs', async () => {
    const g = new Graph();
    const { v, grads, session } = g.asDefault(() => {
      const v = new Variable([[1, 2, 3]], { name: 'v' });
      const i = constant([1, 2], { dtype: 'int32' });
      const y = addN([v.value(), identity(v)]);
      const grads = [...gradients(y, [v], { gradYs: [[0.5, 1, 2]] }), ...gradients(identity(i), [i])];
      return { v, grads, session: new Session(g, { device }) };
    });
    await session.run(v.initializer);
    const dv = (await session.run(grads[0]!)) as NDArray;
    expect(Array.from(dv.data)).toEqual([1, 2, 4]);
    expect(grads[1]).toBeNull();
    session.close();
  });

  it('names the op when its type has no gradient, and rejects mixed graphs and bad gradYs', () => {
    const g = new Graph();
    g.asDefault(() => {
      const x = constant([1, 2]);
      const y = g.addOperation({
        type: 'Bar',
        name: 'foo',
        inputs: [x],
        outputs: [{ dtype: 'float32', shape: [2] }],
      }).output;
      expect(() => gradients(y, [x])).toThrow(NotFoundError);
      expect(() => gradients(y, [x])).toThrow(/^No gradient defined for operation 'foo' \(op type: Bar\)$/);
      expect(() => gradients(identity(x), [x], { gradYs: [1, 2, 3] })).toThrow(
        /gradYs\[0\] has shape \[3\] but ys\[0\] \('Identity(_\d+)?:0'\) has shape \[2\]/,
      );
      const other = new Graph().asDefault(() => constant(1));
      expect(() => gradients(y, [other])).toThrow(InvalidArgumentError);
      expect(() => gradients(y, [other])).toThrow(/must be from the same graph/);
      expect(() => gradients(y, [x], { unconnected: 'nope' as 'zero' })).toThrow(
        /unconnected must be 'none' or 'zero'/,
      );
      expect(() => gradients(y, [x], { stopGradients: x as never })).toThrow(
        /^gradients: stopGradients must be an array of Tensors or Variables$/,
      );
      expect(() => registerGradient('TestNotAFunctionGrad', 'dy' as never)).toThrow(
        /^registerGradient: the gradient of 'TestNotAFunctionGrad' must be a function or null, got string$/,
      );
      expect(getGradient('TestNotAFunctionGrad')).toBeUndefined();
      expect(() => registerGradient('', null)).toThrow(/^registerGradient: opType must be a non-empty string, got ""$/);
    });
  });

  it('names gradient ops under gradients/<op>_grad', () => {
    const g = new Graph();
    const dx = g.asDefault(() => {
      const x = constant([1, 2]);
      return gradients(addN([x, x, x]), [x])[0]!;
    });
    expect(dx.op.type).toBe('AddN');
    expect(dx.name).toMatch(/^gradients\/AddN(_\d+)?:0$/);
  });
});

describe.each(DEVICES)('gradient support ops on %s', (device) => {
  it('SumToShape reduces broadcast axes, keeping size-1 dims', async () => {
    const g = new Graph();
    const [a, b, c] = g.asDefault(() => {
      const grad = constant([
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [7, 8, 9],
          [10, 11, 12],
        ],
      ]);
      return [
        sumToShape(grad, constant([0, 0, 0])),
        sumToShape(grad, constant([[0], [0]])),
        sumToShape(grad, placeholder('float32', null, { name: 'like' })),
      ];
    });
    const feeds = new Map([[g.getTensor('like:0'), new NDArray('float32', [2, 1, 3], new Float32Array(6))]]);
    const [va, vb, vc] = await run(g, device, [a, b, c], feeds);
    expect(va!.shape).toEqual([3]);
    expect(Array.from(va!.data)).toEqual([22, 26, 30]);
    expect(vb!.shape).toEqual([2, 1]);
    expect(Array.from(vb!.data)).toEqual([1 + 2 + 3 + 7 + 8 + 9, 4 + 5 + 6 + 10 + 11 + 12]);
    expect(vc!.shape).toEqual([2, 1, 3]);
    expect(Array.from(vc!.data)).toEqual([5, 7, 9, 17, 19, 21]);
  });

  it('SumToShape rejects shapes that are not broadcast-compatible, at build and run time', async () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => sumToShape(constant([1, 2, 3]), constant([1, 2]))).toThrow(
        /Dimension 0 of the target \(2\) is neither 1 nor 3 for 'SumToShape' \(op: 'SumToShape'\)/,
      );
    });
    const bad = g.asDefault(() => sumToShape(constant([1, 2, 3]), placeholder('float32', null, { name: 'q' })));
    await expect(
      run(g, device, [bad], new Map([[g.getTensor('q:0'), new NDArray('float32', [2], new Float32Array(2))]])),
    ).rejects.toThrow(/SumToShape 'SumToShape(_\d+)?': cannot sum a gradient of shape \[3\] to shape \[2\]/);
  });

  it('AddN checks dtypes when built and shapes when run', async () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => addN([constant([1]), constant([1], { dtype: 'int32' })])).toThrow(
        /AddN 'AddN': all inputs must have dtype float32, got int32/,
      );
      expect(() => addN([constant([1, 2]), constant([1, 2, 3])])).toThrow(
        /Dimension 0 in both shapes must be equal, but are 2 and 3/,
      );
    });
    const sum = g.asDefault(() => addN([constant([1, 2]), placeholder('float32', [null], { name: 'r' })]));
    await expect(
      run(g, device, [sum], new Map([[g.getTensor('r:0'), new NDArray('float32', [3], new Float32Array(3))]])),
    ).rejects.toThrow(/AddN 'AddN(_\d+)?': inputs must all have shape \[2\], got \[3\]/);
  });
});

describe('gradients options', () => {
  it('treats null options as none and names a non-object', () => {
    const g = new Graph();
    g.asDefault(() => {
      const x = constant(2);
      const y = mul(x, 3);
      expect(gradients(y, [x], null)).toHaveLength(1);
      expect(() => gradients(y, [x], 5 as never)).toThrow(/gradients: options must be an object, got number/);
    });
  });
});
