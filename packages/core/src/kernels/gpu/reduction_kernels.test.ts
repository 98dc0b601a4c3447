import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph/graph.js';
import { ndarray } from '../../ndarray/ndarray.js';
import { constant } from '../../ops/constant.js';
import { reduceSum } from '../../ops/reduction_ops.js';
import { Session } from '../../session/session.js';

describe('gpu.js Sum', () => {
  it('runs three separate groups of reduced axes on cpu and says why, naming the shape', async () => {
    const graph = new Graph();
    const x = ndarray(
      Float32Array.from({ length: 32 }, (_, i) => i),
      { shape: [2, 2, 2, 2, 2] },
    );
    const y = graph.asDefault(() => reduceSum(constant(x), [0, 2, 4]));
    using sess = new Session(graph, { device: 'gpu', warnOnFallback: false });
    expect((await sess.run(y)).toArray()).toEqual([
      [84, 100],
      [148, 164],
    ]);
    expect(sess.deviceInfo().fallbacks).toEqual([
      {
        opType: 'Sum',
        opName: expect.any(String),
        reason:
          'reducing more than 2 separate groups of axes of a tensor of shape [2,2,2,2,2] is not lowered to gpu.js',
      },
    ]);
  });
});
