import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph/graph.js';
import { constant } from '../../ops/constant.js';
import { conv2d } from '../../ops/conv2d.js';
import { maxPool } from '../../ops/max_pool.js';
import { placeholder } from '../../ops/placeholder.js';
import { Session } from '../../session/session.js';

describe('gpu.js Conv2D / MaxPool name the op when the fed input is smaller than a VALID window', () => {
  it.each([
    [
      'Conv2D',
      (x: ReturnType<typeof placeholder>) =>
        conv2d(x, constant(new Float32Array(16), { shape: [4, 4, 1, 1] }), 1, 'VALID', { name: 'conv' }),
      'conv',
    ],
    ['MaxPool', (x: ReturnType<typeof placeholder>) => maxPool(x, 4, 1, 'VALID', { name: 'pool' }), 'pool'],
  ] as const)('%s', async (opType, build, name) => {
    const graph = new Graph();
    const { x, y } = graph.asDefault(() => {
      const x = placeholder('float32', [1, null, null, 1], { name: 'x' });
      return { x, y: build(x) };
    });
    using sess = new Session(graph, { device: 'gpu' });
    await expect(
      sess.run(y, {
        [x.name]: [
          [
            [[1], [2]],
            [[3], [4]],
          ],
        ],
      }),
    ).rejects.toThrow(
      new RegExp(
        `^Computed output size would be negative: -1 \\[input_size: 2, effective_filter_size: 4, stride: 1\\] in '${name}' \\(op: '${opType}'\\)$`,
      ),
    );
  });
});
