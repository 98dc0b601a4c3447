import type { OpKernelSpec } from '../../kernel_registry.js';
import { argMaxGpuKernels } from './ArgMax.js';
import { concatGatherGpuKernels } from './concat_gather_kernels.js';
import { convGpuKernels } from './conv_kernels.js';
import { convGradGpuKernels } from './conv_grad_kernels.js';
import { dataMovementGpuKernels } from './data_movement_kernels.js';
import { elementwiseGpuKernels } from './elementwise_kernels.js';
import { gradSupportGpuKernels } from './grad_support_kernels.js';
import { matMulGpuKernels } from './MatMul.js';
import { nnGpuKernels } from './nn_kernels.js';
import { nnGradGpuKernels } from './nn_grad_kernels.js';
import { reductionGradGpuKernels } from './reduction_grad_kernels.js';
import { shapeGradGpuKernels } from './shape_grad_kernels.js';
import { trainingGpuKernels } from './training_kernels.js';
import { reductionGpuKernels } from './reduction_kernels.js';

/** Every gpu.js kernel, one list per family; register_all_kernels registers this once. */
export const gpuKernels: OpKernelSpec[] = [
  ...elementwiseGpuKernels,
  ...matMulGpuKernels,
  ...reductionGpuKernels,
  ...argMaxGpuKernels,
  ...dataMovementGpuKernels,
  ...gradSupportGpuKernels,
  ...nnGpuKernels,
  ...convGpuKernels,
  ...concatGatherGpuKernels,
  ...nnGradGpuKernels,
  ...reductionGradGpuKernels,
  ...shapeGradGpuKernels,
  ...convGradGpuKernels,
  ...trainingGpuKernels,
];
