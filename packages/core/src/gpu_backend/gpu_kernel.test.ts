import { describe, expect, it } from 'vitest';
import '../kernels/register_all_kernels.js';
import { Graph } from '../graph/graph.js';
import { getKernel } from '../kernel_registry.js';
import { type NDArray, ndarray } from '../ndarray/ndarray.js';
import { relu } from '../ops/activations.js';
import { fill } from '../ops/fill_ops.js';
import { placeholder } from '../ops/placeholder.js';
import { gpuUnsupportedReason, MAX_EXACT_FLOAT_INT } from './gpu_kernel.js';

/** Only the metadata the size checks read: allocating 2^24 floats would make the test slow. */
function hugeFloat(shape: number[]): NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  return { dtype: 'float32', shape, size, rank: shape.length } as unknown as NDArray;
}

describe('gpu kernel limits', () => {
  const reluOp = new Graph().asDefault(() => relu(placeholder('float32', null))).op;
  const reluGpu = getKernel('Relu', 'gpu')!;

  it('sends tensors beyond 2^24 elements to cpu, naming the input, its shape and the limit', () => {
    expect(gpuUnsupportedReason(reluGpu, [hugeFloat([4097, 4096])], reluOp)).toMatch(
      /^input 0 of shape \[4097,4096\] has 16781312 elements; gpu\.js indexes in float32 \(exact to 2\^24 = 16777216\) and GL textures are size-limited$/,
    );
    expect(gpuUnsupportedReason(reluGpu, [hugeFloat([4096, 4096])], reluOp)).toBeUndefined();
    expect(2 ** 24).toBe(MAX_EXACT_FLOAT_INT);
  });

  it('checks statically known outputs too', () => {
    const fillOp = new Graph().asDefault(() => fill([5000, 5000], 1)).op;
    expect(gpuUnsupportedReason(getKernel('Fill', 'gpu')!, [], fillOp)).toMatch(
      /^output 0 of shape \[5000,5000\] has 25000000 elements/,
    );
  });

  it('accepts int32 values up to 2^24 for value-preserving ops and refuses larger ones', () => {
    const maxOp = new Graph().asDefault(() => relu(placeholder('int32', null))).op;
    expect(gpuUnsupportedReason(reluGpu, [ndarray([2 ** 24, -(2 ** 24)], { dtype: 'int32' })], maxOp)).toBeUndefined();
    expect(gpuUnsupportedReason(reluGpu, [ndarray([2 ** 24 + 1], { dtype: 'int32' })], maxOp)).toMatch(
      /input 0 holds int32 values beyond 2\^24/,
    );
  });
});
