import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { ndarray } from '../ndarray/ndarray.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';
import type { Padding } from '../ndarray/window_geometry.js';
import { maxPool } from './max_pool.js';
import { placeholder } from './placeholder.js';

/** Direct reference: max over the in-image part of each window (TF ignores padding). */
function referencePool(
  x: Float32Array,
  [n, h, w, c]: number[],
  [kh, kw]: number[],
  [sh, sw]: number[],
  padding: Padding,
): number[] {
  const outH = padding === 'SAME' ? Math.ceil(h! / sh!) : Math.ceil((h! - kh! + 1) / sh!);
  const outW = padding === 'SAME' ? Math.ceil(w! / sw!) : Math.ceil((w! - kw! + 1) / sw!);
  const padTop = padding === 'SAME' ? Math.floor(Math.max((outH - 1) * sh! + kh! - h!, 0) / 2) : 0;
  const padLeft = padding === 'SAME' ? Math.floor(Math.max((outW - 1) * sw! + kw! - w!, 0) / 2) : 0;
  const out: number[] = [];
  for (let b = 0; b < n!; b++)
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++)
        for (let q = 0; q < c!; q++) {
          let m = -Infinity;
          for (let di = 0; di < kh!; di++)
            for (let dj = 0; dj < kw!; dj++) {
              const y = i * sh! - padTop + di;
              const xx = j * sw! - padLeft + dj;
              if (y >= 0 && y < h! && xx >= 0 && xx < w!) m = Math.max(m, x[((b * h! + y) * w! + xx) * c! + q]!);
            }
          out.push(m);
        }
  return out;
}

describe.each(DEVICES)('maxPool on %s', (device) => {
  it('pools a hand-checked 4x4 image', async () => {
    const x = ndarray(new Float32Array([1, 2, 5, 6, 3, 4, 7, 8, -1, -2, 0, 0, -3, -4, 0, 9]), { shape: [1, 4, 4, 1] });
    expect((await evaluate1(device, () => maxPool(x, 2, 2, 'VALID'))).toArray()).toEqual([
      [
        [[4], [8]],
        [[-1], [9]],
      ],
    ]);
  });

  it.each([
    [[2, 5, 5, 3], [2, 2], [2, 2], 'SAME'],
    [[2, 5, 5, 3], [3, 3], [2, 2], 'VALID'],
    [[1, 6, 7, 2], [3, 2], [1, 2], 'SAME'],
    [[1, 4, 4, 1], [4, 4], [1, 1], 'SAME'],
  ] as [number[], number[], number[], Padding][])(
    'x %j, ksize %j, strides %j, %s match a reference (padding never wins)',
    async (xs, k, s, padding) => {
      // All-negative inputs: if padding counted as 0, SAME windows at the border would return 0.
      const x = Float32Array.from({ length: xs.reduce((a, b) => a * b, 1) }, (_, i) => -1 - ((i * 37) % 23));
      const r = await evaluate1(device, () => maxPool(ndarray(x, { shape: xs }), [1, k[0]!, k[1]!, 1], s, padding));
      expect(Array.from(r.data)).toEqual(referencePool(x, xs, k, s, padding));
    },
  );
});

describe('maxPool shape inference and errors', () => {
  it('infers TF output sizes and names bad arguments', () => {
    new Graph().asDefault(() => {
      expect(maxPool(placeholder('float32', [null, 28, 28, 32]), 2, 2, 'SAME').shape).toEqual([null, 14, 14, 32]);
      expect(maxPool(placeholder('float32', [null, 27, 27, 3]), 3, 2, 'VALID').shape).toEqual([null, 13, 13, 3]);
      expect(() => maxPool(placeholder('float32', [2, 4, 4]), 2, 2, 'SAME')).toThrow(
        /^Shape must be rank 4 but is rank 3 for 'MaxPool(_\d+)?' \(op: 'MaxPool'\)/,
      );
      expect(maxPool(placeholder('float32', [1, 2, 2, 1]), 3, 1, 'VALID').shape).toEqual([1, 0, 0, 1]);
      expect(() => maxPool(placeholder('float32', [1, 1, 1, 1]), 3, 1, 'VALID')).toThrow(
        /Computed output size would be negative: -1 \[input_size: 1, effective_filter_size: 3, stride: 1\] for 'MaxPool/,
      );
      expect(() => maxPool(placeholder('float32', [1, 4, 4, 1]), 0, 1, 'VALID')).toThrow(
        /MaxPool: ksize: expected a positive integer/,
      );
    });
  });
});
