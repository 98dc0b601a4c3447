import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { ndarray } from '../ndarray/ndarray.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';
import { constant } from './constant.js';
import { placeholder } from './placeholder.js';
import { invertPermutation, transpose } from './transpose.js';

/** float64 reference transpose of row-major `data` with `shape` by `perm`. */
function referenceTranspose(data: ArrayLike<number>, shape: number[], perm: number[]): number[] {
  const outShape = perm.map((p) => shape[p]!);
  const size = shape.reduce((a, b) => a * b, 1);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    let offset = 0;
    for (let d = outShape.length - 1; d >= 0; d--) {
      const i = rest % outShape[d]!;
      rest = Math.floor(rest / outShape[d]!);
      offset += i * inStrides[perm[d]!]!;
    }
    out.push(data[offset]!);
  }
  return out;
}

describe.each(DEVICES)('transpose on %s', (device) => {
  it('reverses dims by default', async () => {
    const r = await evaluate1(device, () =>
      transpose([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(r.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  it.each([
    [
      [2, 3, 4],
      [0, 2, 1],
    ],
    [
      [2, 3, 4],
      [2, 0, 1],
    ],
    [
      [2, 3, 4],
      [1, 0, 2],
    ],
    [
      [3, 1, 5, 2],
      [3, 2, 1, 0],
    ],
    [
      [70, 45],
      [1, 0],
    ],
    [
      [2, 3, 4, 5],
      [0, 3, 1, 2],
    ],
  ])('shape %j with perm %j matches a reference', async (shape, perm) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: size }, (_, i) => i);
    const r = await evaluate1(device, () => transpose(ndarray(data, { shape }), perm));
    expect(r.shape).toEqual(perm.map((p) => shape[p]!));
    expect(Array.from(r.data)).toEqual(referenceTranspose(data, shape, perm));
  });

  it('handles rank 0, empty and int32 tensors', async () => {
    expect((await evaluate1(device, () => transpose(3))).item()).toBe(3);
    expect((await evaluate1(device, () => transpose(ndarray(new Float32Array(0), { shape: [0, 2] })))).shape).toEqual([
      2, 0,
    ]);
    const r = await evaluate1(device, () => transpose(constant([[1, 2]], { dtype: 'int32' }), [1, 0]));
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([[1], [2]]);
  });

  it('inverts permutations', () => {
    expect(invertPermutation([2, 0, 1])).toEqual([1, 2, 0]);
  });
});

describe('transpose shape inference and errors', () => {
  it('infers shapes and rejects bad permutations', () => {
    new Graph().asDefault(() => {
      expect(transpose(placeholder('float32', [null, 3, 4]), [2, 0, 1]).shape).toEqual([4, null, 3]);
      expect(transpose(placeholder('float32', null)).shape).toBeNull();
      expect(transpose(placeholder('float32', null), [1, 0]).shape).toEqual([null, null]);
      const x = placeholder('float32', [2, 3]);
      expect(() => transpose(x, [0])).toThrow(
        /^Dimension must be 2 but is 1 \(perm \[0\]\) for 'Transpose_\d+' \(op: 'Transpose'\) with input shapes: \[2,3\]\.$/,
      );
      expect(() => transpose(x, [1, 1])).toThrow(/perm \[1,1\] is not a permutation of 0..1 for 'Transpose_\d+'/);
      expect(() => transpose(x, [0.5, 1])).toThrow(/Transpose: perm must be a list of integers/);
    });
  });
});
