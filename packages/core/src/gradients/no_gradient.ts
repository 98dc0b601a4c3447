import type { OpType } from '../graph/op_types.js';

/*
 * Every op type without a gradient function, each with the reason, so that "no gradient" is a
 * decision on record and never an omission (registry_completeness.test.ts checks that every op
 * type is covered once: a gradient function, or an entry here).
 */

const PIECEWISE_CONSTANT = 'piecewise constant: its derivative is zero almost everywhere';
const INTEGER_OUTPUT = 'integer or shape-valued output: nothing to differentiate';
const VALUE_INDEPENDENT = 'its output does not depend on the values of its inputs, only on their shape';
const BOOLEAN_OUTPUT = 'boolean output; differentiating through a comparison is an error that names the op';
const STATEFUL_UPDATE =
  'updates a variable in the session: a side effect, not a function of its inputs to differentiate';
const SOURCE = 'has no inputs: there is nothing for a gradient to flow into';
const RANDOM = 'a random draw: no function of its (shape) input to differentiate';
const CPU_FUSION =
  'made only by the cpu plan-time fusion (session/remapper.ts) after gradients were built, from ops that have one';

/**
 * Registered as not differentiable (TF's `NotDifferentiable`): `gradients()` stops there and the
 * inputs get no gradient from this op.
 */
export const NOT_DIFFERENTIABLE: Readonly<Partial<Record<OpType, string>>> = {
  StopGradient: 'stops gradients by definition (tf.stop_gradient)',
  FillLike: VALUE_INDEPENDENT,
  ZerosLike: VALUE_INDEPENDENT,
  OnesLike: VALUE_INDEPENDENT,
  Fill: 'treated as a constant of the given shape: its value input receives no gradient',
  Sign: PIECEWISE_CONSTANT,
  Floor: PIECEWISE_CONSTANT,
  Shape: INTEGER_OUTPUT,
  Size: INTEGER_OUTPUT,
  ArgMax: INTEGER_OUTPUT,
  OneHot: INTEGER_OUTPUT,
};

/**
 * Deliberately left unregistered: `gradients()` through one raises NotFoundError naming the op,
 * because a gradient there is a mistake in the model rather than a zero.
 */
export const NO_GRADIENT: Readonly<Partial<Record<OpType, string>>> = {
  Const: SOURCE,
  Placeholder: SOURCE,
  VariableV2: SOURCE,
  NoOp: 'a control-flow anchor with no output value',
  ReportUninitializedVariables: 'reports session state (names of uninitialized variables)',
  RandomNormal: RANDOM,
  RandomUniform: RANDOM,
  TruncatedNormal: RANDOM,
  Equal: BOOLEAN_OUTPUT,
  NotEqual: BOOLEAN_OUTPUT,
  Less: BOOLEAN_OUTPUT,
  LessEqual: BOOLEAN_OUTPUT,
  Greater: BOOLEAN_OUTPUT,
  GreaterEqual: BOOLEAN_OUTPUT,
  Assign: STATEFUL_UPDATE,
  AssignAdd: STATEFUL_UPDATE,
  AssignSub: STATEFUL_UPDATE,
  ApplyGradientDescent: STATEFUL_UPDATE,
  ApplyMomentum: STATEFUL_UPDATE,
  ApplyAdam: STATEFUL_UPDATE,
  ApplyRMSProp: STATEFUL_UPDATE,
  ApplyCenteredRMSProp: STATEFUL_UPDATE,
  ApplyAdagrad: STATEFUL_UPDATE,
  SparseApplyGradientDescent: STATEFUL_UPDATE,
  SparseApplyMomentum: STATEFUL_UPDATE,
  SparseApplyAdam: STATEFUL_UPDATE,
  SparseApplyRMSProp: STATEFUL_UPDATE,
  SparseApplyCenteredRMSProp: STATEFUL_UPDATE,
  SparseApplyAdagrad: STATEFUL_UPDATE,
  _FusedMatMul: CPU_FUSION,
  _FusedConv2D: CPU_FUSION,
  MaxPoolWithArgmax: CPU_FUSION,
  MaxPoolGradWithArgmax: CPU_FUSION,
};
