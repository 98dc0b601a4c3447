import { describe, expect, it } from 'vitest';
import { Session, add, constant, getDefaultGraph, mul, resetDefaultGraph } from '../index.js';

describe('seed programs', () => {
  it('add(constant(5), constant(3)) is 8 and mul(6, 8) is 48, built on the default graph', async () => {
    resetDefaultGraph();
    const sum = add(constant(5), constant(3));
    const product = mul(6, 8);
    expect(sum.graph).toBe(getDefaultGraph());
    expect([sum.dtype, product.dtype]).toEqual(['float32', 'float32']);
    expect(product.op.inputs.map((t) => `${t.op.type}:${t.dtype}`)).toEqual(['Const:float32', 'Const:float32']);
    expect([sum.op.name, product.op.name]).toEqual(['Add', 'Mul']);
    using sess = new Session();
    const [s, p] = await sess.run([sum, product]);
    expect(s!.item()).toBe(8);
    expect(p!.item()).toBe(48);
    resetDefaultGraph();
  });
});
