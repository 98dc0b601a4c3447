import type { DType } from '../dtype.js';
import type { Attrs } from './operation.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { StaticShape } from '../ndarray/shape.js';
import type { Padding } from '../ndarray/window_geometry.js';

/*
 * Every op type of @tsflow/core with the attrs its nodes carry (the model: tfjs-core's
 * kernel_names.ts). Builders, kernel lists and gradient lists are typed over `OpType`, so a
 * misspelled op type does not compile; `buildOp` takes `OpAttrs[T]`, so a missing or misnamed
 * attr does not compile; kernels and gradients read attrs through `OpKernelContext<T>` and
 * `attrsOf<T>(op)` without casts. Attrs are object type aliases (not interfaces) so that each
 * is also a plain `Attrs` record.
 */

/** An op without attrs. */
export type NoAttrs = Record<string, never>;
export type AxisAttrs = { axis: number };
/** Reduction axes (null: all) and whether reduced dims stay as size 1. */
export type ReductionAttrs = { axis: number[] | null; keepDims: boolean };
/** conv2d windows: NHWC strides `[1, sh, sw, 1]`. */
export type ConvAttrs = { strides: number[]; padding: Padding };
/** Pooling windows: NHWC `ksize` and `strides`, `[1, h, w, 1]`. */
export type PoolAttrs = { ksize: number[]; strides: number[]; padding: Padding };
export type MatMulAttrs = { transposeA: boolean; transposeB: boolean };
/** Fused optimizer updates: the variable and slot variables they write, by name. */
export type ApplyAttrs = { variable: string; slots: string[] };
export type NesterovApplyAttrs = ApplyAttrs & { useNesterov: boolean };
export type RandomAttrs = { shape: number[]; seed: number | null; dtype: DType };
export type NormalAttrs = RandomAttrs & { mean: number; stddev: number };

/** The attrs of each op type (`NoAttrs` for none). */
export type OpAttrs = {
  Abs: NoAttrs;
  Add: NoAttrs;
  AddN: NoAttrs;
  ApplyAdagrad: ApplyAttrs;
  ApplyAdam: NesterovApplyAttrs;
  ApplyCenteredRMSProp: ApplyAttrs;
  ApplyGradientDescent: ApplyAttrs;
  ApplyMomentum: NesterovApplyAttrs;
  ApplyRMSProp: ApplyAttrs;
  ArgMax: AxisAttrs;
  Assign: { variable: string };
  AssignAdd: { variable: string };
  AssignSub: { variable: string };
  BiasAdd: NoAttrs;
  BroadcastTo: NoAttrs;
  Cast: { dtype: DType };
  Concat: AxisAttrs;
  ConcatGrad: AxisAttrs & { index: number };
  Const: { value: NDArray };
  Conv2D: ConvAttrs;
  Conv2DBackpropFilter: ConvAttrs;
  Conv2DBackpropInput: ConvAttrs;
  Div: NoAttrs;
  Equal: NoAttrs;
  Exp: NoAttrs;
  ExpandDims: AxisAttrs;
  ExtremumReductionGrad: { axis: number[] | null };
  Fill: { shape: number[]; value: number; dtype: DType };
  FillLike: { value: number; dtype: DType };
  Floor: NoAttrs;
  GatherGrad: AxisAttrs;
  GatherV2: AxisAttrs;
  Greater: NoAttrs;
  GreaterEqual: NoAttrs;
  Identity: NoAttrs;
  Less: NoAttrs;
  LessEqual: NoAttrs;
  Log: NoAttrs;
  LogSoftmax: AxisAttrs;
  LogSoftmaxGrad: AxisAttrs;
  MatMul: MatMulAttrs;
  Max: ReductionAttrs;
  MaxPool: PoolAttrs;
  MaxPoolGrad: PoolAttrs;
  MaxPoolGradGrad: PoolAttrs;
  MaxPoolGradWithArgmax: PoolAttrs & { reluMask: boolean };
  MaxPoolWithArgmax: PoolAttrs;
  Maximum: NoAttrs;
  Mean: ReductionAttrs;
  MeanSquaredError: NoAttrs;
  MeanSquaredErrorGrad: NoAttrs;
  Min: ReductionAttrs;
  Minimum: NoAttrs;
  Mul: NoAttrs;
  Neg: NoAttrs;
  NoOp: NoAttrs;
  NotEqual: NoAttrs;
  OneHot: { depth: number };
  OnesLike: NoAttrs;
  Placeholder: { dtype: DType; shape: StaticShape };
  Pow: NoAttrs;
  RandomNormal: NormalAttrs;
  RandomUniform: RandomAttrs & { minval: number; maxval: number };
  Reciprocal: NoAttrs;
  ReductionGrad: { axis: number[] | null; mode: 'sum' | 'mean' };
  Relu: NoAttrs;
  ReluGrad: NoAttrs;
  ReportUninitializedVariables: { variables: string[] };
  Reshape: NoAttrs;
  Rsqrt: NoAttrs;
  Select: NoAttrs;
  Shape: NoAttrs;
  Sigmoid: NoAttrs;
  SigmoidCrossEntropyWithLogits: NoAttrs;
  SigmoidGrad: NoAttrs;
  Sign: NoAttrs;
  Size: NoAttrs;
  Softmax: AxisAttrs;
  SoftmaxCrossEntropyWithLogits: NoAttrs;
  SoftmaxGrad: AxisAttrs;
  SparseApplyAdagrad: ApplyAttrs;
  SparseApplyAdam: ApplyAttrs;
  SparseApplyCenteredRMSProp: ApplyAttrs;
  SparseApplyGradientDescent: ApplyAttrs;
  SparseApplyMomentum: NesterovApplyAttrs;
  SparseApplyRMSProp: ApplyAttrs;
  SparseSoftmaxCrossEntropyWithLogits: NoAttrs;
  Sqrt: NoAttrs;
  Square: NoAttrs;
  Squeeze: { axis: number[] | null };
  StopGradient: NoAttrs;
  Sub: NoAttrs;
  Sum: ReductionAttrs;
  SumToShape: NoAttrs;
  Tanh: NoAttrs;
  TanhGrad: NoAttrs;
  Tile: NoAttrs;
  TileGrad: NoAttrs;
  Transpose: { perm: number[] | null };
  TruncatedNormal: NormalAttrs;
  VariableV2: { dtype: DType; shape: number[] };
  ZerosLike: NoAttrs;
  _FusedConv2D: ConvAttrs & { relu: boolean };
  _FusedMatMul: MatMulAttrs & { relu: boolean };
};

/** Every op type of @tsflow/core. */
export type OpType = keyof OpAttrs;

/** Each op type as a constant (`OP.MatMul`), checked against `OpAttrs`: none missing, none extra. */
export const OP: { readonly [T in OpType]: T } = {
  Abs: 'Abs',
  Add: 'Add',
  AddN: 'AddN',
  ApplyAdagrad: 'ApplyAdagrad',
  ApplyAdam: 'ApplyAdam',
  ApplyCenteredRMSProp: 'ApplyCenteredRMSProp',
  ApplyGradientDescent: 'ApplyGradientDescent',
  ApplyMomentum: 'ApplyMomentum',
  ApplyRMSProp: 'ApplyRMSProp',
  ArgMax: 'ArgMax',
  Assign: 'Assign',
  AssignAdd: 'AssignAdd',
  AssignSub: 'AssignSub',
  BiasAdd: 'BiasAdd',
  BroadcastTo: 'BroadcastTo',
  Cast: 'Cast',
  Concat: 'Concat',
  ConcatGrad: 'ConcatGrad',
  Const: 'Const',
  Conv2D: 'Conv2D',
  Conv2DBackpropFilter: 'Conv2DBackpropFilter',
  Conv2DBackpropInput: 'Conv2DBackpropInput',
  Div: 'Div',
  Equal: 'Equal',
  Exp: 'Exp',
  ExpandDims: 'ExpandDims',
  ExtremumReductionGrad: 'ExtremumReductionGrad',
  Fill: 'Fill',
  FillLike: 'FillLike',
  Floor: 'Floor',
  GatherGrad: 'GatherGrad',
  GatherV2: 'GatherV2',
  Greater: 'Greater',
  GreaterEqual: 'GreaterEqual',
  Identity: 'Identity',
  Less: 'Less',
  LessEqual: 'LessEqual',
  Log: 'Log',
  LogSoftmax: 'LogSoftmax',
  LogSoftmaxGrad: 'LogSoftmaxGrad',
  MatMul: 'MatMul',
  Max: 'Max',
  MaxPool: 'MaxPool',
  MaxPoolGrad: 'MaxPoolGrad',
  MaxPoolGradGrad: 'MaxPoolGradGrad',
  MaxPoolGradWithArgmax: 'MaxPoolGradWithArgmax',
  MaxPoolWithArgmax: 'MaxPoolWithArgmax',
  Maximum: 'Maximum',
  Mean: 'Mean',
  MeanSquaredError: 'MeanSquaredError',
  MeanSquaredErrorGrad: 'MeanSquaredErrorGrad',
  Min: 'Min',
  Minimum: 'Minimum',
  Mul: 'Mul',
  Neg: 'Neg',
  NoOp: 'NoOp',
  NotEqual: 'NotEqual',
  OneHot: 'OneHot',
  OnesLike: 'OnesLike',
  Placeholder: 'Placeholder',
  Pow: 'Pow',
  RandomNormal: 'RandomNormal',
  RandomUniform: 'RandomUniform',
  Reciprocal: 'Reciprocal',
  ReductionGrad: 'ReductionGrad',
  Relu: 'Relu',
  ReluGrad: 'ReluGrad',
  ReportUninitializedVariables: 'ReportUninitializedVariables',
  Reshape: 'Reshape',
  Rsqrt: 'Rsqrt',
  Select: 'Select',
  Shape: 'Shape',
  Sigmoid: 'Sigmoid',
  SigmoidCrossEntropyWithLogits: 'SigmoidCrossEntropyWithLogits',
  SigmoidGrad: 'SigmoidGrad',
  Sign: 'Sign',
  Size: 'Size',
  Softmax: 'Softmax',
  SoftmaxCrossEntropyWithLogits: 'SoftmaxCrossEntropyWithLogits',
  SoftmaxGrad: 'SoftmaxGrad',
  SparseApplyAdagrad: 'SparseApplyAdagrad',
  SparseApplyAdam: 'SparseApplyAdam',
  SparseApplyCenteredRMSProp: 'SparseApplyCenteredRMSProp',
  SparseApplyGradientDescent: 'SparseApplyGradientDescent',
  SparseApplyMomentum: 'SparseApplyMomentum',
  SparseApplyRMSProp: 'SparseApplyRMSProp',
  SparseSoftmaxCrossEntropyWithLogits: 'SparseSoftmaxCrossEntropyWithLogits',
  Sqrt: 'Sqrt',
  Square: 'Square',
  Squeeze: 'Squeeze',
  StopGradient: 'StopGradient',
  Sub: 'Sub',
  Sum: 'Sum',
  SumToShape: 'SumToShape',
  Tanh: 'Tanh',
  TanhGrad: 'TanhGrad',
  Tile: 'Tile',
  TileGrad: 'TileGrad',
  Transpose: 'Transpose',
  TruncatedNormal: 'TruncatedNormal',
  VariableV2: 'VariableV2',
  ZerosLike: 'ZerosLike',
  _FusedConv2D: '_FusedConv2D',
  _FusedMatMul: '_FusedMatMul',
};

/**
 * `op.attrs` typed for op type `T`, for a gradient function registered for `T` (the registry
 * calls it only with ops of that type): `attrsOf<'MatMul'>(op).transposeA`.
 */
export function attrsOf<T extends OpType>(op: { readonly attrs: Attrs }): OpAttrs[T] {
  return op.attrs as unknown as OpAttrs[T];
}
