export type { DType, TypedArray } from './dtype.js';
export {
  TsflowError,
  InvalidArgumentError,
  FailedPreconditionError,
  NotFoundError,
  OutOfRangeError,
  UnimplementedError,
  DataLossError,
  ResourceExhaustedError,
  PermissionDeniedError,
  DeadlineExceededError,
} from './errors.js';
export { NDArray, ndarray, type NestedArray, type NDArrayOptions } from './ndarray/ndarray.js';
export { formatShape, shapeSize, shapesEqual, type StaticShape } from './ndarray/shape.js';
export { Graph, getDefaultGraph, resetDefaultGraph } from './graph/graph.js';
export { Operation, type Attrs, type AttrValue } from './graph/operation.js';
export { Tensor } from './graph/tensor.js';
export { nameScope, controlDependencies } from './graph/scopes.js';
export type { GraphJSON } from './graph/serialization.js';
export type { TensorLike, OpOptions } from './ops/op_builder.js';
export { constant, type ConstantOptions } from './ops/constant.js';
export { placeholder } from './ops/placeholder.js';
export { group, noOp, identity, stopGradient } from './ops/control_flow.js';
export { Variable, type VariableOptions, globalVariables, trainableVariables } from './variables/variable.js';
export {
  globalVariablesInitializer,
  variablesInitializer,
  reportUninitializedVariables,
} from './variables/initializers.js';
export { Session, type SessionOptions, type SessionDevice } from './session/session.js';
export { Xoshiro128 } from './session/random_stream.js';
export type { Fetches, FetchResult } from './session/fetches.js';
export type { Feeds, FeedValue } from './session/feeds.js';
export {
  registerKernel,
  getKernel,
  registeredOpTypes,
  type Device,
  type Kernel,
  type KernelSpec,
  type KernelContext,
} from './kernel_registry.js';
export { registerGradient, getGradient, type GradientFn } from './gradients/gradient_registry.js';
export { gradients, type GradientsOptions } from './gradients/gradients.js';
export { IndexedSlices, indexedSlicesOf } from './gradients/indexed_slices.js';
// training ops (used by @tsflow/train optimizers)
export {
  applyGradientDescent,
  applyMomentum,
  applyAdam,
  applyRMSProp,
  applyCenteredRMSProp,
  applyAdagrad,
} from './ops/training_ops.js';
export {
  sparseApplyGradientDescent,
  sparseApplyMomentum,
  sparseApplyRMSProp,
  sparseApplyCenteredRMSProp,
  sparseApplyAdagrad,
  sparseApplyAdam,
} from './ops/sparse_training_ops.js';
// linear algebra, reduction, shape and nn ops
export { matMul, type MatMulOptions } from './ops/mat_mul.js';
export { reduceSum, reduceMean, reduceMax, reduceMin, type ReductionAxis } from './ops/reduction_ops.js';
export { argMax } from './ops/arg_max.js';
export { reshape } from './ops/reshape.js';
export { transpose, invertPermutation } from './ops/transpose.js';
export { expandDims, squeeze } from './ops/expand_squeeze.js';
export { shape, size, tile, broadcastTo } from './ops/shape_ops.js';
export { concat } from './ops/concat.js';
export { gather } from './ops/gather.js';
export { oneHot } from './ops/one_hot.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export {
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  sigmoidCrossEntropyWithLogits,
  type CrossEntropyArgs,
} from './ops/cross_entropy.js';
export { meanSquaredError } from './ops/mean_squared_error.js';
export { biasAdd } from './ops/bias_add.js';
export { conv2d } from './ops/conv2d.js';
export { maxPool } from './ops/max_pool.js';
export { windowOutput, type Padding } from './ndarray/window_geometry.js';
// elementwise, comparison, activation, source and random ops
export { add, sub, mul, div, pow, maximum, minimum } from './ops/binary_ops.js';
export { equal, notEqual, greater, greaterEqual, less, lessEqual } from './ops/comparison_ops.js';
export { neg, abs, exp, log, sqrt, square, sign, reciprocal, rsqrt, floor } from './ops/unary_ops.js';
export { relu, sigmoid, tanh } from './ops/activations.js';
export { cast } from './ops/cast.js';
export { where } from './ops/where.js';
export { clipByValue } from './ops/clip_by_value.js';
export { zeros, ones, fill, zerosLike, onesLike, type FillOptions } from './ops/fill_ops.js';
export {
  randomNormal,
  randomUniform,
  truncatedNormal,
  type RandomNormalOptions,
  type RandomUniformOptions,
  type TruncatedNormalOptions,
} from './ops/random_ops.js';
export { broadcastStaticShapes, broadcastStaticShapesN } from './ops/broadcast_shape.js';
export { broadcastShapes, broadcastReductionAxes } from './kernels/cpu/broadcast_index.js';
// gpu.js backend
export { gpuInfo, setGpuMode, availableGpuModes, type GpuMode, type GpuInfo } from './gpu_backend/gpu_runtime.js';
export { opTypesWithoutGpuKernel, type DeviceInfo, type GpuFallback } from './gpu_backend/device_context.js';
export type { KernelCacheStats } from './gpu_backend/kernel_cache.js';
export { DEFAULT_PLACEMENT_THRESHOLDS, type PlacementThresholds } from './gpu_backend/placement.js';
