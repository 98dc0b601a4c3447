import { describe, expect, it } from 'vitest';
import { Graph, InvalidArgumentError, Session, add, ndarray, placeholder, sub } from '../index.js';

function difference() {
  const g = new Graph();
  const t = g.asDefault(() => {
    const a = placeholder('float32', [], { name: 'a' });
    const b = placeholder('float32', [], { name: 'b' });
    return { a, b, d: sub(a, b), s: add(a, b) };
  });
  return { g, ...t };
}

describe('plans found by the identity of fetches and feeds', () => {
  it('puts each fed value in its own slot whatever order the feeds come in', async () => {
    const { g, a, b, d } = difference();
    using sess = new Session(g);
    expect((await sess.run(d, { a: 5, b: 2 })).item()).toBe(3);
    expect((await sess.run(d, { b: 2, a: 5 })).item()).toBe(3);
    expect(
      (
        await sess.run(
          d,
          new Map([
            [b, ndarray(1)],
            [a, ndarray(7)],
          ]),
        )
      ).item(),
    ).toBe(6);
    expect(
      (
        await sess.run(
          d,
          new Map<unknown, number>([
            [a, 7],
            ['b:0', 1],
          ]) as never,
        )
      ).item(),
    ).toBe(6);
    expect(sess.cachedPlanCount).toBe(1);
  });

  it('tells apart fetch lists that share their first target', async () => {
    const { g, d, s } = difference();
    using sess = new Session(g);
    const feeds = { a: 5, b: 2 };
    expect((await sess.run([d], feeds)).map((v) => v.item())).toEqual([3]);
    expect((await sess.run([d, s], feeds)).map((v) => v.item())).toEqual([3, 7]);
    expect((await sess.run([d, d], feeds)).map((v) => v.item())).toEqual([3, 3]);
    expect((await sess.run([d], feeds)).map((v) => v.item())).toEqual([3]);
    expect(sess.cachedPlanCount).toBe(3);
  });

  it('still checks every run: a feed missing or given twice after the plan was cached', async () => {
    const { g, a, d } = difference();
    using sess = new Session(g);
    expect((await sess.run(d, { a: 1, b: 1 })).item()).toBe(0);
    await expect(sess.run(d, { a: 1 })).rejects.toThrow(/must feed a value for placeholder tensor 'b'/);
    await expect(
      sess.run(
        d,
        new Map<unknown, number>([
          [a, 1],
          ['a:0', 2],
        ]) as never,
      ),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(
      sess.run(
        d,
        new Map<unknown, number>([
          [a, 1],
          ['a:0', 2],
        ]) as never,
      ),
    ).rejects.toThrow(/Tensor 'a:0' is fed more than once/);
  });
});
