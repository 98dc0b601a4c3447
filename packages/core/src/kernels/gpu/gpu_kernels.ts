import type { KernelSpec } from '../kernel_registry.js';
import { elementwiseGpuKernels } from './elementwise_kernels.js';

/** Every gpu.js kernel, one list per family; register_all_kernels registers this once. */
export const gpuKernels: KernelSpec[] = [...elementwiseGpuKernels];
