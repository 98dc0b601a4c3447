import { baseCpuKernels } from './cpu/base_kernels.js';
import { gradSupportCpuKernels } from './cpu/GradSupport.js';
import { linalgShapeNnCpuKernels } from './cpu/linalg_shape_nn_kernels.js';
import { registerKernels } from './kernel_registry.js';

// One explicit list per kernel family; importing this module registers every kernel once.
registerKernels(baseCpuKernels);
registerKernels(gradSupportCpuKernels);
registerKernels(linalgShapeNnCpuKernels);
