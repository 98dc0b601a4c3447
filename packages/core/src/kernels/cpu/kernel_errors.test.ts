import { describe, expect, it } from 'vitest';
import { getKernel, ndarray, type KernelContext, type NDArray } from '../../index.js';

function runCpu(opType: string, inputs: NDArray[], attrs: Record<string, unknown> = {}): unknown {
  const ctx = { op: { name: `${opType}_1`, type: opType }, attrs, device: 'cpu' } as unknown as KernelContext;
  return getKernel(opType, 'cpu')!.kernel(inputs, ctx);
}

describe('elementwise backward kernels (cpu) name the op when their inputs differ in shape', () => {
  it.each([
    ['ReluGrad', {}],
    ['SigmoidGrad', {}],
    ['TanhGrad', {}],
    ['SoftmaxGrad', { axis: -1 }],
    ['LogSoftmaxGrad', { axis: -1 }],
  ])('%s', (opType, attrs) => {
    expect(() => runCpu(opType, [ndarray([[1, 2, 3]]), ndarray([1, 2, 3])], attrs)).toThrow(
      new RegExp(`${opType} '${opType}_1': inputs must have the same shape, got \\[1,3\\] and \\[3\\]`),
    );
  });
});
