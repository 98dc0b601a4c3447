import type { OpType } from '../graph/op_types.js';
import { InvalidArgumentError } from '../errors.js';
import { Tensor } from '../graph/tensor.js';
import { formatShape, isCompatibleShape, shapesEqual } from '../ndarray/shape.js';
import { buildOp1, type OpOptions, type TensorLike } from './op_builder.js';
import { isVariableRef, type VariableRef } from './variable_ref.js';

/*
 * Fused optimizer updates (TF1's Apply* ops): one op, and one loop, per variable per step.
 * Each op reads the variable and its slots as inputs (so every read in a step happens before
 * any write), writes new arrays for them to the session, and outputs the variable's new value.
 */

interface ApplySpec {
  type: OpType;
  variable: VariableRef;
  slots: readonly VariableRef[];
  /** Scalar hyperparameters, in the order the kernel reads them. */
  scalars: readonly TensorLike[];
  grad: TensorLike;
  attrs?: Record<string, boolean>;
  options: OpOptions;
}

/** The variable and slots are written by name: a plain tensor there would take updates that go nowhere. @internal */
export function requireVariable(value: unknown, role: string, opType: string): void {
  if (isVariableRef(value)) return;
  const got = value instanceof Tensor ? `Tensor '${value.name}'` : value === null ? 'null' : typeof value;
  throw new InvalidArgumentError(`${opType}: ${role} must be a Variable, got ${got}`);
}

function buildApply(spec: ApplySpec): Tensor {
  const { variable, slots } = spec;
  requireVariable(variable, 'variable', spec.type);
  slots.forEach((slot, i) => {
    requireVariable(slot, `slot ${i}`, spec.type);
  });
  return buildOp1({
    type: spec.type,
    inputs: [variable, ...slots, ...spec.scalars, spec.grad],
    options: spec.options,
    dtypeHint: 'float32',
    attrs: { variable: variable.name, slots: slots.map((s) => s.name), ...spec.attrs },
    infer: (inputs, opName) => {
      const what = `${spec.type} '${opName}'`;
      if (variable.dtype !== 'float32')
        throw new InvalidArgumentError(
          `${what}: variable '${variable.name}' has dtype ${variable.dtype}, expected float32`,
        );
      for (const slot of slots) {
        if (slot.dtype !== 'float32' || !shapesEqual(slot.shape, variable.shape)) {
          throw new InvalidArgumentError(
            `${what}: slot '${slot.name}' is ${slot.dtype}${formatShape(slot.shape)}, expected float32${formatShape(variable.shape)} like variable '${variable.name}'`,
          );
        }
      }
      const scalarInputs = inputs.slice(1 + slots.length, inputs.length - 1);
      for (const s of scalarInputs) {
        if (s.dtype !== 'float32' || (s.shape !== null && s.shape.length !== 0)) {
          throw new InvalidArgumentError(
            `${what}: hyperparameter ${s.name} must be a float32 scalar, got ${s.dtype}${formatShape(s.shape)}`,
          );
        }
      }
      const grad = inputs[inputs.length - 1]!;
      if (grad.dtype !== 'float32' || !isCompatibleShape(variable.shape, grad.shape)) {
        throw new InvalidArgumentError(
          `${what}: gradient ${grad.name} is ${grad.dtype}${formatShape(grad.shape)}, expected float32${formatShape(variable.shape)} like variable '${variable.name}'`,
        );
      }
      return [{ dtype: 'float32', shape: variable.shape }];
    },
  });
}

/** var -= lr * grad */
export function applyGradientDescent(
  variable: VariableRef,
  lr: TensorLike,
  grad: TensorLike,
  options: OpOptions = {},
): Tensor {
  return buildApply({ type: 'ApplyGradientDescent', variable, slots: [], scalars: [lr], grad, options });
}

/** accum = accum * momentum + grad; var -= lr * accum (Nesterov: var -= lr * (grad + momentum * accum)). */
export function applyMomentum(
  variable: VariableRef,
  accum: VariableRef,
  lr: TensorLike,
  grad: TensorLike,
  momentum: TensorLike,
  options: OpOptions & { useNesterov?: boolean } = {},
): Tensor {
  return buildApply({
    type: 'ApplyMomentum',
    variable,
    slots: [accum],
    scalars: [lr, momentum],
    grad,
    attrs: { useNesterov: options.useNesterov ?? false },
    options,
  });
}

/**
 * TF1 Adam: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t); m, v moving averages;
 * var -= lr_t * m / (sqrt(v) + epsilon), epsilon added to the uncorrected sqrt(v).
 */
export function applyAdam(
  variable: VariableRef,
  m: VariableRef,
  v: VariableRef,
  beta1Power: TensorLike,
  beta2Power: TensorLike,
  lr: TensorLike,
  beta1: TensorLike,
  beta2: TensorLike,
  epsilon: TensorLike,
  grad: TensorLike,
  options: OpOptions & { useNesterov?: boolean } = {},
): Tensor {
  return buildApply({
    type: 'ApplyAdam',
    variable,
    slots: [m, v],
    scalars: [beta1Power, beta2Power, lr, beta1, beta2, epsilon],
    grad,
    attrs: { useNesterov: options.useNesterov ?? false },
    options,
  });
}

/** ms += (grad² - ms)(1 - rho); mom = mom * momentum + lr * grad / sqrt(ms + epsilon); var -= mom */
export function applyRMSProp(
  variable: VariableRef,
  ms: VariableRef,
  mom: VariableRef,
  lr: TensorLike,
  rho: TensorLike,
  momentum: TensorLike,
  epsilon: TensorLike,
  grad: TensorLike,
  options: OpOptions = {},
): Tensor {
  return buildApply({
    type: 'ApplyRMSProp',
    variable,
    slots: [ms, mom],
    scalars: [lr, rho, momentum, epsilon],
    grad,
    options,
  });
}

/** RMSProp normalised by the centered variance estimate ms - mg², mg the mean gradient. */
export function applyCenteredRMSProp(
  variable: VariableRef,
  mg: VariableRef,
  ms: VariableRef,
  mom: VariableRef,
  lr: TensorLike,
  rho: TensorLike,
  momentum: TensorLike,
  epsilon: TensorLike,
  grad: TensorLike,
  options: OpOptions = {},
): Tensor {
  return buildApply({
    type: 'ApplyCenteredRMSProp',
    variable,
    slots: [mg, ms, mom],
    scalars: [lr, rho, momentum, epsilon],
    grad,
    options,
  });
}

/** accum += grad²; var -= lr * grad / sqrt(accum) (TF1 Adagrad: no epsilon). */
export function applyAdagrad(
  variable: VariableRef,
  accum: VariableRef,
  lr: TensorLike,
  grad: TensorLike,
  options: OpOptions = {},
): Tensor {
  return buildApply({ type: 'ApplyAdagrad', variable, slots: [accum], scalars: [lr], grad, options });
}
