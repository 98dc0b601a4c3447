import { NDArray } from '../../ndarray/ndarray.js';
import type { KernelSpec } from '../kernel_registry.js';

function shapeKernel(inputs: readonly NDArray[]): NDArray {
  const x = inputs[0]!;
  return new NDArray('int32', [x.rank], Int32Array.from(x.shape));
}

function sizeKernel(inputs: readonly NDArray[]): NDArray {
  return new NDArray('int32', [], Int32Array.of(inputs[0]!.size));
}

export const shapeCpuKernels: KernelSpec[] = [
  { opType: 'Shape', device: 'cpu', kernel: shapeKernel },
  { opType: 'Size', device: 'cpu', kernel: sizeKernel },
];
