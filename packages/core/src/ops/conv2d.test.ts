import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { ndarray } from '../ndarray/ndarray.js';
import { Session } from '../session/session.js';
import { DEVICES, evaluate1, expectClose } from '../test_support/devices.js';
import { conv2d } from './conv2d.js';
import type { Padding } from '../ndarray/window_geometry.js';
import { placeholder } from './placeholder.js';

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647) * 2 - 1;
  });
}

/** Direct float64 convolution with TF's padding arithmetic, written independently of the kernel. */
function referenceConv(
  x: Float32Array,
  [n, h, w, c]: [number, number, number, number],
  f: Float32Array,
  [kh, kw, , o]: [number, number, number, number],
  [sh, sw]: [number, number],
  padding: Padding,
): { shape: number[]; data: number[] } {
  const outH = padding === 'SAME' ? Math.ceil(h / sh) : Math.ceil((h - kh + 1) / sh);
  const outW = padding === 'SAME' ? Math.ceil(w / sw) : Math.ceil((w - kw + 1) / sw);
  const padTop = padding === 'SAME' ? Math.floor(Math.max((outH - 1) * sh + kh - h, 0) / 2) : 0;
  const padLeft = padding === 'SAME' ? Math.floor(Math.max((outW - 1) * sw + kw - w, 0) / 2) : 0;
  const data: number[] = [];
  for (let b = 0; b < n!; b++)
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++)
        for (let q = 0; q < o!; q++) {
          let s = 0;
          for (let di = 0; di < kh!; di++)
            for (let dj = 0; dj < kw!; dj++)
              for (let ch = 0; ch < c!; ch++) {
                const y = i * sh! - padTop + di;
                const xx = j * sw! - padLeft + dj;
                if (y < 0 || y >= h! || xx < 0 || xx >= w!) continue;
                s += x[((b * h! + y) * w! + xx) * c! + ch]! * f[((di * kw! + dj) * c! + ch) * o! + q]!;
              }
          data.push(s);
        }
  return { shape: [n!, outH, outW, o!], data };
}

describe.each(DEVICES)('conv2d on %s', (device) => {
  it('computes a hand-checked 3x3 VALID and SAME example', async () => {
    const x = ndarray(
      Float32Array.from({ length: 9 }, (_, i) => i + 1),
      { shape: [1, 3, 3, 1] },
    );
    const f = ndarray(new Float32Array([1, 0, 0, 1]), { shape: [2, 2, 1, 1] }); // x[i,j] + x[i+1,j+1]
    expect((await evaluate1(device, () => conv2d(x, f, 1, 'VALID'))).toArray()).toEqual([
      [
        [[6], [8]],
        [[12], [14]],
      ],
    ]);
    // SAME pads one row/column after: the last row/column sees only x[i,j].
    expect(Array.from((await evaluate1(device, () => conv2d(x, f, 1, 'SAME'))).data)).toEqual([
      6, 8, 3, 12, 14, 6, 7, 8, 9,
    ]);
  });

  it.each([
    [[2, 7, 6, 3], [3, 3, 3, 4], [1, 1], 'SAME'],
    [[2, 7, 6, 3], [3, 3, 3, 4], [1, 1], 'VALID'],
    [[1, 8, 9, 2], [3, 2, 2, 5], [2, 2], 'SAME'],
    [[1, 8, 9, 2], [4, 4, 2, 3], [2, 3], 'SAME'],
    [[3, 9, 9, 2], [3, 3, 2, 2], [2, 1], 'VALID'],
    [[2, 5, 5, 6], [1, 1, 6, 7], [1, 1], 'SAME'],
    [[1, 5, 5, 3], [1, 1, 3, 2], [2, 2], 'VALID'],
    [[2, 40, 30, 1], [3, 3, 1, 2], [1, 1], 'SAME'], // 1200 pixels per image: two im2col blocks
  ] as [[number, number, number, number], [number, number, number, number], [number, number], Padding][])(
    'x %j, filter %j, strides %j, %s match a float64 reference',
    async (xs, fs, strides, padding) => {
      const x = values(
        xs.reduce((a, b) => a * b, 1),
        3,
      );
      const f = values(
        fs.reduce((a, b) => a * b, 1),
        5,
      );
      const r = await evaluate1(device, () =>
        conv2d(ndarray(x, { shape: xs }), ndarray(f, { shape: fs }), [1, strides[0]!, strides[1]!, 1], padding),
      );
      const expected = referenceConv(x, xs, f, fs, strides, padding);
      expect(r.shape).toEqual(expected.shape);
      expectClose(r.data, expected.data, { atol: 1e-5 });
    },
  );

  it('handles an empty batch', async () => {
    const r = await evaluate1(device, () =>
      conv2d(
        ndarray(new Float32Array(0), { shape: [0, 4, 4, 1] }),
        ndarray(new Float32Array(18), { shape: [3, 3, 1, 2] }),
        1,
        'SAME',
      ),
    );
    expect(r.shape).toEqual([0, 4, 4, 2]);
  });

  it('runs with unknown batch and spatial dims fed at run time', async () => {
    const g = new Graph();
    const y = g.asDefault(() =>
      conv2d(
        placeholder('float32', [null, null, null, 1], { name: 'x' }),
        ndarray(new Float32Array([1, 1, 1, 1]), { shape: [2, 2, 1, 1] }),
        2,
        'VALID',
      ),
    );
    expect(y.shape).toEqual([null, null, null, 1]);
    const s = new Session(g, { device });
    const r = await s.run(y, {
      x: ndarray(
        Float32Array.from({ length: 16 }, (_, i) => i),
        { shape: [1, 4, 4, 1] },
      ),
    });
    expect(Array.from(r.data)).toEqual([0 + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15]);
    s.close();
  });
});

describe('conv2d shape inference and errors', () => {
  it('infers TF output sizes and names bad arguments', () => {
    new Graph().asDefault(() => {
      const x = placeholder('float32', [null, 28, 28, 1]);
      expect(conv2d(x, placeholder('float32', [5, 5, 1, 32]), 1, 'SAME').shape).toEqual([null, 28, 28, 32]);
      expect(conv2d(x, placeholder('float32', [5, 5, 1, 32]), 2, 'VALID').shape).toEqual([null, 12, 12, 32]);
      expect(conv2d(x, placeholder('float32', [3, 3, 1, 8]), [2, 3], 'SAME').shape).toEqual([null, 14, 10, 8]);
      expect(conv2d(x, placeholder('float32'), 2, 'SAME').shape).toEqual([null, 14, 14, null]);
      expect(() => conv2d(x, placeholder('float32', [3, 3, 2, 8]), 1, 'SAME')).toThrow(
        /^Depth of input \(1\) is not a multiple of input depth of filter \(2\) for 'Conv2D(_\d+)?' \(op: 'Conv2D'\) with input shapes: \[\?,28,28,1\], \[3,3,2,8\]\.$/,
      );
      expect(() =>
        conv2d(placeholder('float32', [1, 2, 2, 1]), placeholder('float32', [4, 4, 1, 1]), 1, 'VALID'),
      ).toThrow(
        /Computed output size would be negative: -1 \[input_size: 2, effective_filter_size: 4, stride: 1\] for 'Conv2D/,
      );
      expect(() =>
        conv2d(placeholder('float32', [2, 28, 28]), placeholder('float32', [3, 3, 1, 8]), 1, 'SAME'),
      ).toThrow(/Shape must be rank 4 but is rank 3 for 'Conv2D/);
      expect(() => conv2d(x, placeholder('float32', [3, 3, 1, 8]), [1, 2, 2, 2], 'SAME')).toThrow(
        /Conv2D: strides: expected a positive integer, \[h, w\] or \[1, h, w, 1\] \(NHWC\), got \[1,2,2,2\]/,
      );
      expect(() => conv2d(x, placeholder('float32', [3, 3, 1, 8]), 1, 'same' as Padding)).toThrow(
        /Conv2D: padding must be 'SAME' or 'VALID', got "same"/,
      );
    });
  });
});
