import { describe, expect, it } from 'vitest';
import { gpuUnsupportedReason, isInvalidInputReason } from '../../gpu_backend/gpu_kernel.js';
import type { Operation } from '../../graph/operation.js';
import { ndarray, type NDArray } from '../../ndarray/ndarray.js';
import { getKernel } from '../../kernel_registry.js';
import '../register_all_kernels.js';

const zeros = (shape: number[]): NDArray => ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)), { shape });

function concatGradRefusal(index: number, inputs: NDArray[]): string | undefined {
  const op = {
    name: 'ConcatGrad_1',
    type: 'ConcatGrad',
    attrs: { axis: 1, index },
    outputs: [],
  } as unknown as Operation;
  return gpuUnsupportedReason(getKernel('ConcatGrad', 'gpu')!, inputs, op);
}

describe('gpu.js ConcatGrad', () => {
  it('a slice past the end of dy is an invalid input (the cpu kernel names it), not a device fallback', () => {
    const reason = concatGradRefusal(1, [zeros([2, 4]), zeros([2, 3]), zeros([2, 3])]);
    expect(reason).toMatch(/^a slice past the end of dy is reported by the cpu kernel$/);
    expect(isInvalidInputReason(reason!)).toBe(true);
  });

  it('an empty slice is a plain fallback; a fitting one runs on gpu.js', () => {
    expect(isInvalidInputReason(concatGradRefusal(0, [zeros([2, 3]), zeros([2, 0]), zeros([2, 3])])!)).toBe(false);
    expect(concatGradRefusal(1, [zeros([2, 5]), zeros([2, 2]), zeros([2, 3])])).toBeUndefined();
  });
});
