import type { OpKernelSpec } from '../../kernel_registry.js';
import { argMaxCpuKernels } from './ArgMax.js';
import { biasAddCpuKernels } from './BiasAdd.js';
import { broadcastToCpuKernels } from './BroadcastTo.js';
import { concatCpuKernels } from './Concat.js';
import { conv2dCpuKernels } from './Conv2D.js';
import { gatherCpuKernels } from './GatherV2.js';
import { matMulCpuKernels } from './MatMul.js';
import { maxPoolCpuKernels } from './MaxPool.js';
import { meanSquaredErrorCpuKernels } from './MeanSquaredError.js';
import { oneHotCpuKernels } from './OneHot.js';
import { reductionCpuKernels } from './reduction_kernels.js';
import { reshapeCpuKernels } from './reshape_kernels.js';
import { shapeCpuKernels } from './Shape.js';
import { sigmoidCrossEntropyCpuKernels } from './SigmoidCrossEntropyWithLogits.js';
import { softmaxCpuKernels } from './Softmax.js';
import { softmaxCrossEntropyCpuKernels } from './SoftmaxCrossEntropyWithLogits.js';
import { tileCpuKernels } from './Tile.js';
import { transposeCpuKernels } from './Transpose.js';

/** cpu kernels of the linear algebra, reduction, shape and nn ops, in one registration list. */
export const linalgShapeNnCpuKernels: OpKernelSpec[] = [
  ...matMulCpuKernels,
  ...reductionCpuKernels,
  ...argMaxCpuKernels,
  ...reshapeCpuKernels,
  ...transposeCpuKernels,
  ...shapeCpuKernels,
  ...tileCpuKernels,
  ...broadcastToCpuKernels,
  ...concatCpuKernels,
  ...gatherCpuKernels,
  ...oneHotCpuKernels,
  ...softmaxCpuKernels,
  ...softmaxCrossEntropyCpuKernels,
  ...sigmoidCrossEntropyCpuKernels,
  ...meanSquaredErrorCpuKernels,
  ...biasAddCpuKernels,
  ...conv2dCpuKernels,
  ...maxPoolCpuKernels,
];
