export { type DType, type TypedArray } from './dtype.js';
export {
  TsflowError,
  InvalidArgumentError,
  FailedPreconditionError,
  NotFoundError,
  OutOfRangeError,
  UnimplementedError,
} from './errors.js';
export { NDArray, ndarray, type NestedArray, type NDArrayOptions } from './ndarray/ndarray.js';
export { formatShape, type StaticShape } from './ndarray/shape.js';
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
} from './kernels/kernel_registry.js';
export { registerGradient, getGradient, type GradientFn } from './gradients/gradient_registry.js';
export { gradients, type GradientsOptions } from './gradients/gradients.js';
// linear algebra, reduction, shape and nn ops
export { matMul, type MatMulOptions } from './ops/mat_mul.js';
