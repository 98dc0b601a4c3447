import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  Session,
  add,
  cast,
  clipByValue,
  constant,
  fill,
  greater,
  placeholder,
  randomNormal,
  sigmoid,
  where,
  zerosLike,
} from '../index.js';

describe('elementwise and source ops survive a JSON round trip', () => {
  it('rebuilds attrs, dtypes and static shapes, and computes the same values (seeded random included)', async () => {
    const g = new Graph();
    const names = g.asDefault(() => {
      const x = placeholder('float32', [null, 3], { name: 'x' });
      const noise = randomNormal([1, 3], { seed: 11, stddev: 0.1, name: 'noise' });
      const y = sigmoid(add(x, noise), { name: 'y' });
      const picked = where(greater(y, 0.5), fill([1, 3], 1), zerosLike(y), { name: 'picked' });
      const counts = cast(clipByValue(picked, 0, 1), 'int32', { name: 'counts' });
      return [y.name, picked.name, counts.name];
    });
    const copy = Graph.fromJSON(JSON.parse(JSON.stringify(g.toJSON())));
    for (const name of names) {
      const [a, b] = [g.getTensor(name), copy.getTensor(name)];
      expect([b.dtype, b.shape, b.op.type, b.op.attrs]).toEqual([a.dtype, a.shape, a.op.type, a.op.attrs]);
    }
    const feed = {
      x: [
        [-2, 0, 2],
        [0.1, -0.1, 5],
      ],
    };
    const run = async (graph: Graph): Promise<NDArray[]> => {
      using sess = new Session(graph);
      return (await sess.run(names, feed)) as NDArray[];
    };
    const [original, restored] = [await run(g), await run(copy)];
    expect(restored.map((v) => v.toArray())).toEqual(original.map((v) => v.toArray()));
    expect(original[2]!.dtype).toBe('int32');
  });

  it('keeps int32 constants made from plain numbers next to int tensors', () => {
    const g = new Graph();
    const sum = g.asDefault(() => add(constant([1, 2], { dtype: 'int32' }), 5));
    const copy = Graph.fromJSON(JSON.parse(JSON.stringify(g.toJSON())));
    expect(copy.getTensor(sum.name).op.inputs.map((t) => t.dtype)).toEqual(['int32', 'int32']);
  });
});
