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

describe('axis kernels (cpu) check the axis against the run-time rank', () => {
  it.each([
    ['Concat', [ndarray([1, 2]), ndarray([3])]],
    ['GatherV2', [ndarray([1, 2]), ndarray([0], { dtype: 'int32' })]],
    ['ArgMax', [ndarray([1, 2])]],
    ['Softmax', [ndarray([1, 2])]],
    ['LogSoftmax', [ndarray([1, 2])]],
  ] as const)('%s', (opType, inputs) => {
    expect(() => runCpu(opType, [...inputs], { axis: -2 })).toThrow(
      new RegExp(`${opType} '${opType}_1': axis -2 is out of range for a tensor of rank 1`),
    );
  });

  it('Softmax of a scalar names the rank', () => {
    expect(() => runCpu('Softmax', [ndarray(1)], { axis: -1 })).toThrow(
      /Softmax 'Softmax_1': axis -1 is out of range for a tensor of rank 0/,
    );
  });

  it('a valid negative axis still works', () => {
    expect(
      Array.from((runCpu('Concat', [ndarray([[1], [2]]), ndarray([[3], [4]])], { axis: -1 }) as NDArray).data),
    ).toEqual([1, 3, 2, 4]);
    expect(
      Array.from(
        (
          runCpu(
            'ArgMax',
            [
              ndarray([
                [1, 5],
                [7, 2],
              ]),
            ],
            { axis: -2 },
          ) as NDArray
        ).data,
      ),
    ).toEqual([1, 0]);
  });
});
