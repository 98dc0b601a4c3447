import { describe, expect, it } from 'vitest';
import { getKernel, ndarray, type KernelContext, type NDArray } from '../../index.js';

function runCpu(opType: string, inputs: NDArray[], attrs: Record<string, unknown>): NDArray {
  const ctx = { op: { name: `${opType}_1`, type: opType }, attrs, device: 'cpu' } as unknown as KernelContext;
  return getKernel(opType, 'cpu')!.kernel(inputs, ctx) as NDArray;
}

describe('reduction backward kernels (cpu) read axes like the forward kernels', () => {
  const x = ndarray([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('spreads dy over negative and listed axes', () => {
    expect(Array.from(runCpu('ReductionGrad', [ndarray([10, 20]), x], { axis: [-1], mode: 'mean' }).data)).toEqual(
      [10 / 3, 10 / 3, 10 / 3, 20 / 3, 20 / 3, 20 / 3].map(Math.fround),
    );
    expect(Array.from(runCpu('ReductionGrad', [ndarray(7), x], { axis: null, mode: 'sum' }).data)).toEqual([
      7, 7, 7, 7, 7, 7,
    ]);
  });

  it('names the op for an axis out of range for the run-time rank', () => {
    expect(() => runCpu('ReductionGrad', [ndarray([1, 2]), x], { axis: [2], mode: 'sum' })).toThrow(
      /Invalid reduction dimension 2 for input with 2 dimensions \(op 'ReductionGrad_1'\)/,
    );
    expect(() => runCpu('ExtremumReductionGrad', [x, ndarray([3, 6]), ndarray([1, 1])], { axis: [-3] })).toThrow(
      /Invalid reduction dimension -3 for input with 2 dimensions \(op 'ExtremumReductionGrad_1'\)/,
    );
  });
});
