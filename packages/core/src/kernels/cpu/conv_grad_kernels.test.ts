import { describe, expect, it } from 'vitest';
import { getKernel, ndarray, type KernelContext, type NDArray } from '../../index.js';

function runCpu(opType: string, inputs: NDArray[], attrs: Record<string, unknown>): unknown {
  const ctx = { op: { name: `${opType}_1`, type: opType }, attrs, device: 'cpu' } as unknown as KernelContext;
  return getKernel(opType, 'cpu')!.kernel(inputs, ctx);
}

const zeros = (shape: number[]): NDArray => ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)), { shape });
const window = { strides: [1, 2, 2, 1], padding: 'SAME' };

describe('conv / maxPool backward kernels (cpu) check dy against the forward geometry', () => {
  it('computes the SAME padding the forward op used (x [1,5,5,1], 3x3, stride 2 -> dy [1,3,3,1])', () => {
    const dx = runCpu(
      'Conv2DBackpropInput',
      [zeros([1, 5, 5, 1]), zeros([3, 3, 1, 2]), zeros([1, 3, 3, 2])],
      window,
    ) as NDArray;
    expect(dx.shape).toEqual([1, 5, 5, 1]);
  });

  it.each([
    ['Conv2DBackpropInput', [zeros([1, 5, 5, 1]), zeros([3, 3, 1, 2]), zeros([1, 4, 3, 2])]],
    ['Conv2DBackpropFilter', [zeros([1, 5, 5, 1]), zeros([3, 3, 1, 2]), zeros([1, 3, 4, 2])]],
  ] as const)('%s rejects a dy with the wrong spatial size instead of reading the wrong pixels', (opType, inputs) => {
    expect(() => runCpu(opType, [...inputs], window)).toThrow(
      new RegExp(
        `${opType} '${opType}_1': dy of shape \\[1,\\d,\\d,2\\] does not match input \\[1,5,5,1\\] with 2 output channels \\(expected \\[1,3,3,2\\]\\)`,
      ),
    );
  });

  it('MaxPoolGrad rejects a dy with the wrong spatial size', () => {
    expect(() =>
      runCpu('MaxPoolGrad', [zeros([1, 4, 4, 1]), zeros([1, 3, 3, 1])], { ...window, ksize: [1, 2, 2, 1] }),
    ).toThrow(
      /MaxPoolGrad 'MaxPoolGrad_1': dy of shape \[1,3,3,1\] does not match input \[1,4,4,1\] with 1 output channels \(expected \[1,2,2,1\]\)/,
    );
  });

  it('rejects an input that is not rank 4', () => {
    expect(() =>
      runCpu('MaxPoolGrad', [zeros([4, 4, 1]), zeros([1, 2, 2, 1])], { ...window, ksize: [1, 2, 2, 1] }),
    ).toThrow(/MaxPoolGrad 'MaxPoolGrad_1': input must be rank 4 \(NHWC\), got \[4,4,1\]/);
  });
});

describe('conv / maxPool forward kernels (cpu) name the op when the fed input is smaller than a VALID window', () => {
  it.each([
    ['MaxPool', [zeros([1, 2, 2, 1])], { ksize: [1, 4, 4, 1], strides: [1, 1, 1, 1], padding: 'VALID' }],
    ['Conv2D', [zeros([1, 2, 2, 1]), zeros([4, 4, 1, 1])], { strides: [1, 1, 1, 1], padding: 'VALID' }],
  ] as const)('%s', (opType, inputs, attrs) => {
    expect(() => runCpu(opType, [...inputs], attrs)).toThrow(
      new RegExp(
        `^Computed output size would be negative: -1 \\[input_size: 2, effective_filter_size: 4, stride: 1\\] in '${opType}_1' \\(op: '${opType}'\\)$`,
      ),
    );
  });
});

describe('MaxPoolGradGrad (cpu)', () => {
  const pool = { ksize: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: 'VALID' };

  it("picks grad at each window's first maximum", () => {
    // Windows of x: [[1, 3], [2, 0]] -> max 3 at (0, 1); [[5, 5], [4, 1]] -> first max (0, 2).
    const x = ndarray([1, 3, 5, 5, 2, 0, 4, 1], { shape: [1, 2, 4, 1] });
    const grad = ndarray([10, 20, 30, 40, 50, 60, 70, 80], { shape: [1, 2, 4, 1] });
    const out = runCpu('MaxPoolGradGrad', [x, grad], pool) as NDArray;
    expect(out.shape).toEqual([1, 1, 2, 1]);
    expect(Array.from(out.data)).toEqual([20, 30]);
  });

  it('names a grad not shaped like x and a non-NHWC input', () => {
    expect(() => runCpu('MaxPoolGradGrad', [zeros([1, 2, 2, 1]), zeros([1, 2, 1, 1])], pool)).toThrow(
      /MaxPoolGradGrad 'MaxPoolGradGrad_1': grad of shape \[1,2,1,1\] must have the input's shape \[1,2,2,1\]/,
    );
    expect(() => runCpu('MaxPoolGradGrad', [zeros([2, 2, 1]), zeros([2, 2, 1])], pool)).toThrow(
      /MaxPoolGradGrad 'MaxPoolGradGrad_1': input must be rank 4 \(NHWC\), got \[2,2,1\]/,
    );
  });
});
