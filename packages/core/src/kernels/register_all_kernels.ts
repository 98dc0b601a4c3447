import { baseCpuKernels } from './cpu/base_kernels.js';
import { gradSupportCpuKernels } from './cpu/grad_support_kernels.js';
import { trainingCpuKernels } from './cpu/training_kernels.js';
import { sparseTrainingCpuKernels } from './cpu/sparse_training_kernels.js';
import { linalgShapeNnCpuKernels } from './cpu/linalg_shape_nn_kernels.js';
import { arithmeticCpuKernels } from './cpu/arithmetic_kernels.js';
import { castCpuKernels } from './cpu/cast_kernel.js';
import { comparisonCpuKernels } from './cpu/comparison_kernels.js';
import { fillCpuKernels } from './cpu/fill_kernels.js';
import { randomCpuKernels } from './cpu/random_kernels.js';
import { selectCpuKernels } from './cpu/select_kernel.js';
import { unaryCpuKernels } from './cpu/unary_kernels.js';
import { reluCpuKernels } from './cpu/Relu.js';
import { fusedCpuKernels } from './cpu/fused_kernels.js';
import { registerKernels } from '../kernel_registry.js';
import { gpuKernels } from './gpu/gpu_kernels.js';

// One explicit list per kernel family; importing this module registers every kernel once.
registerKernels(baseCpuKernels);
registerKernels(gradSupportCpuKernels);
registerKernels(linalgShapeNnCpuKernels);
registerKernels(arithmeticCpuKernels);
registerKernels(comparisonCpuKernels);
registerKernels(unaryCpuKernels);
registerKernels(reluCpuKernels);
registerKernels(castCpuKernels);
registerKernels(selectCpuKernels);
registerKernels(fillCpuKernels);
registerKernels(randomCpuKernels);
registerKernels(trainingCpuKernels);
registerKernels(fusedCpuKernels);
registerKernels(sparseTrainingCpuKernels);
// gpu.js backend: every gpu kernel family is listed in gpu/gpu_kernels.ts.
registerKernels(gpuKernels);
