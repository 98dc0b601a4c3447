import type { OpType } from '../graph/op_types.js';
import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import { formatShape, shapesEqual } from '../ndarray/shape.js';
import { buildOp1, type OpOptions, type TensorLike } from './op_builder.js';
import { int32IdsInput } from './static_value.js';
import { requireVariable } from './training_ops.js';
import type { VariableRef } from './variable_ref.js';

/*
 * TF1's sparse optimizer updates (SparseApply*, and ScatterSub for plain SGD): a gradient given
 * as rows `values[i]` for variable rows `indices[i]` updates those rows only, and only their
 * slots. As TF1's optimizers do before calling these kernels, rows named several times get the
 * sum of their values (one update per distinct row). The variable and slots are named in
 * attrs and updated in place at run time (the session copies first when an earlier read of them
 * is still in use), so a step costs O(rows looked up), not O(table).
 */

interface SparseApplySpec {
  type: OpType;
  variable: VariableRef;
  slots: readonly VariableRef[];
  /** Scalar hyperparameters, in the order the kernel reads them. */
  scalars: readonly TensorLike[];
  values: TensorLike;
  indices: TensorLike;
  attrs?: Record<string, boolean>;
  options: OpOptions;
}

function buildSparseApply(spec: SparseApplySpec): Tensor {
  const { variable, slots } = spec;
  requireVariable(variable, 'variable', spec.type);
  slots.forEach((slot, i) => {
    requireVariable(slot, `slot ${i}`, spec.type);
  });
  return buildOp1({
    type: spec.type,
    inputs: [...spec.scalars, spec.values, int32IdsInput(spec.indices, `${spec.type}: indices`) as TensorLike],
    options: spec.options,
    dtypeHint: 'none',
    attrs: { variable: variable.name, slots: slots.map((s) => s.name), ...spec.attrs },
    infer: (inputs, opName) => {
      const what = `${spec.type} '${opName}'`;
      const shape = variable.shape;
      if (variable.dtype !== 'float32')
        throw new InvalidArgumentError(
          `${what}: variable '${variable.name}' has dtype ${variable.dtype}, expected float32`,
        );
      if (shape.length === 0)
        throw new InvalidArgumentError(
          `${what}: variable '${variable.name}' is a scalar; sparse updates need rank >= 1`,
        );
      for (const slot of slots) {
        if (slot.dtype !== 'float32' || !shapesEqual(slot.shape, shape)) {
          throw new InvalidArgumentError(
            `${what}: slot '${slot.name}' is ${slot.dtype}${formatShape(slot.shape)}, expected float32${formatShape(shape)} like variable '${variable.name}'`,
          );
        }
      }
      for (const s of inputs.slice(0, spec.scalars.length)) {
        if (s.dtype !== 'float32' || (s.shape !== null && s.shape.length !== 0)) {
          throw new InvalidArgumentError(
            `${what}: hyperparameter ${s.name} must be a float32 scalar, got ${s.dtype}${formatShape(s.shape)}`,
          );
        }
      }
      const values = inputs[inputs.length - 2]!;
      const indices = inputs[inputs.length - 1]!;
      if (indices.dtype !== 'int32' || (indices.shape !== null && indices.shape.length !== 1)) {
        throw new InvalidArgumentError(
          `${what}: indices ${indices.name} must be int32 [n], got ${indices.dtype}${formatShape(indices.shape)}`,
        );
      }
      const expected = [indices.shape?.[0] ?? null, ...shape.slice(1)];
      if (values.dtype !== 'float32' || !rowsCompatible(values.shape, expected)) {
        throw new InvalidArgumentError(
          `${what}: values ${values.name} is ${values.dtype}${formatShape(values.shape)}, expected float32${formatShape(expected)} (one row of '${variable.name}' per index)`,
        );
      }
      return [{ dtype: 'float32', shape }];
    },
  });
}

function rowsCompatible(actual: readonly (number | null)[] | null, expected: readonly (number | null)[]): boolean {
  if (actual === null) return true;
  return (
    actual.length === expected.length && actual.every((d, i) => d === null || expected[i] === null || d === expected[i])
  );
}

/** TF1 SGD on rows (ScatterSub of lr * values): `var[indices[i]] -= lr * values[i]`. */
export function sparseApplyGradientDescent(
  variable: VariableRef,
  lr: TensorLike,
  values: TensorLike,
  indices: TensorLike,
  options: OpOptions = {},
): Tensor {
  return buildSparseApply({
    type: 'SparseApplyGradientDescent',
    variable,
    slots: [],
    scalars: [lr],
    values,
    indices,
    options,
  });
}

/** Per distinct row r with summed gradient g: `accum[r] = accum[r] * momentum + g; var[r] -= lr * accum[r]` (Nesterov: `lr * (g + momentum * accum[r])`). */
export function sparseApplyMomentum(
  variable: VariableRef,
  accum: VariableRef,
  lr: TensorLike,
  values: TensorLike,
  indices: TensorLike,
  momentum: TensorLike,
  options: OpOptions & { useNesterov?: boolean } = {},
): Tensor {
  return buildSparseApply({
    type: 'SparseApplyMomentum',
    variable,
    slots: [accum],
    scalars: [lr, momentum],
    values,
    indices,
    attrs: { useNesterov: options.useNesterov ?? false },
    options,
  });
}

/** Per distinct row: `ms += (g² - ms)(1 - rho); mom = mom * momentum + lr * g / sqrt(ms + epsilon); var -= mom`. */
export function sparseApplyRMSProp(
  variable: VariableRef,
  ms: VariableRef,
  mom: VariableRef,
  lr: TensorLike,
  rho: TensorLike,
  momentum: TensorLike,
  epsilon: TensorLike,
  values: TensorLike,
  indices: TensorLike,
  options: OpOptions = {},
): Tensor {
  return buildSparseApply({
    type: 'SparseApplyRMSProp',
    variable,
    slots: [ms, mom],
    scalars: [lr, rho, momentum, epsilon],
    values,
    indices,
    options,
  });
}

/** Centered RMSProp per distinct row (normalised by ms - mg², mg the mean gradient of the row). */
export function sparseApplyCenteredRMSProp(
  variable: VariableRef,
  mg: VariableRef,
  ms: VariableRef,
  mom: VariableRef,
  lr: TensorLike,
  rho: TensorLike,
  momentum: TensorLike,
  epsilon: TensorLike,
  values: TensorLike,
  indices: TensorLike,
  options: OpOptions = {},
): Tensor {
  return buildSparseApply({
    type: 'SparseApplyCenteredRMSProp',
    variable,
    slots: [mg, ms, mom],
    scalars: [lr, rho, momentum, epsilon],
    values,
    indices,
    options,
  });
}

/** Per distinct row: `accum += g²; var -= lr * g / sqrt(accum)`. */
export function sparseApplyAdagrad(
  variable: VariableRef,
  accum: VariableRef,
  lr: TensorLike,
  values: TensorLike,
  indices: TensorLike,
  options: OpOptions = {},
): Tensor {
  return buildSparseApply({
    type: 'SparseApplyAdagrad',
    variable,
    slots: [accum],
    scalars: [lr],
    values,
    indices,
    options,
  });
}

/**
 * TF1 Adam's sparse path (`_apply_sparse_shared`): m and v decay on EVERY row (`m *= beta1`,
 * `v *= beta2`), the looked-up rows then add `(1 - beta1) g` and `(1 - beta2) g²`, and every
 * row moves: `var -= lr_t * m / (sqrt(v) + epsilon)` with `lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)`.
 */
export function sparseApplyAdam(
  variable: VariableRef,
  m: VariableRef,
  v: VariableRef,
  beta1Power: TensorLike,
  beta2Power: TensorLike,
  lr: TensorLike,
  beta1: TensorLike,
  beta2: TensorLike,
  epsilon: TensorLike,
  values: TensorLike,
  indices: TensorLike,
  options: OpOptions = {},
): Tensor {
  return buildSparseApply({
    type: 'SparseApplyAdam',
    variable,
    slots: [m, v],
    scalars: [beta1Power, beta2Power, lr, beta1, beta2, epsilon],
    values,
    indices,
    options,
  });
}
