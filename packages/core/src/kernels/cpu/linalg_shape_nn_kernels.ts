import type { KernelSpec } from '../kernel_registry.js';
import { matMulCpuKernels } from './MatMul.js';

/** cpu kernels of the linear algebra, reduction, shape and nn ops, in one registration list. */
export const linalgShapeNnCpuKernels: KernelSpec[] = [
  ...matMulCpuKernels,
];
