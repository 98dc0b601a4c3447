import { describe, expect, it } from 'vitest';
import { gpuUnsupportedReason, isInvalidInputReason } from '../../gpu_backend/gpu_kernel.js';
import type { Operation } from '../../graph/operation.js';
import { ndarray, type NDArray } from '../../ndarray/ndarray.js';
import { getKernel } from '../../kernel_registry.js';
import '../register_all_kernels.js';

const zeros = (shape: number[]): NDArray => ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)), { shape });
const window = { strides: [1, 2, 2, 1], padding: 'SAME', ksize: [1, 3, 3, 1] };

function gpuRefusal(opType: string, inputs: NDArray[]): string | undefined {
  const op = { name: `${opType}_1`, type: opType, attrs: window, outputs: [] } as unknown as Operation;
  return gpuUnsupportedReason(getKernel(opType, 'gpu')!, inputs, op);
}

describe('gpu.js conv / maxPool backward kernels check dy against the forward windows', () => {
  it('accept the dy the forward op produced (x [1,5,5,1], 3x3, stride 2, SAME -> dy [1,3,3,*])', () => {
    expect(
      gpuRefusal('Conv2DBackpropInput', [zeros([1, 5, 5, 1]), zeros([3, 3, 1, 2]), zeros([1, 3, 3, 2])]),
    ).toBeUndefined();
    expect(gpuRefusal('MaxPoolGrad', [zeros([1, 5, 5, 1]), zeros([1, 3, 3, 1])])).toBeUndefined();
  });

  it.each([
    ['Conv2DBackpropInput', [zeros([1, 5, 5, 1]), zeros([3, 3, 1, 2]), zeros([1, 4, 3, 2])]],
    ['Conv2DBackpropFilter', [zeros([1, 5, 5, 1]), zeros([3, 3, 1, 2]), zeros([1, 3, 4, 2])]],
    ['MaxPoolGrad', [zeros([1, 5, 5, 1]), zeros([1, 2, 2, 1])]],
  ] as const)("%s leaves a dy of the wrong spatial size to the cpu kernel's named error", (opType, inputs) => {
    const reason = gpuRefusal(opType, [...inputs]);
    expect(reason).toMatch(/^a dy that does not match the forward windows is reported by the cpu kernel$/);
    expect(isInvalidInputReason(reason!)).toBe(true);
  });
});
