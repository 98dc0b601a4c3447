import type { OpKernelSpec } from '../../kernel_registry.js';
import { fusedConv2dCpuKernels } from './_FusedConv2D.js';
import { fusedMatMulCpuKernels } from './_FusedMatMul.js';
import { maxPoolGradWithArgmaxCpuKernels } from './MaxPoolGradWithArgmax.js';
import { maxPoolWithArgmaxCpuKernels } from './MaxPoolWithArgmax.js';

/** Kernels of the ops only plans create (session/remapper.ts): fused chains and maxPool with argmax. */
export const fusedCpuKernels: OpKernelSpec[] = [
  ...fusedMatMulCpuKernels,
  ...fusedConv2dCpuKernels,
  ...maxPoolWithArgmaxCpuKernels,
  ...maxPoolGradWithArgmaxCpuKernels,
];
