import { InvalidArgumentError } from '../../errors.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import type { ApplyAttrs } from '../../graph/op_types.js';

/*
 * Sparse optimizer updates (ops/sparse_training_ops.ts). Inputs are [...scalars, values,
 * indices]; the variable and its slots are named in attrs and updated in place through
 * `state.mutableVariable`, touching only the rows looked up (Adam: see its kernel). Gradient
 * rows of a repeated index are summed first, as TF1's optimizers do. Arithmetic in float64
 * registers, stored as float32, as in the dense kernels.
 */

/** The gradient with duplicate rows summed: `sums` holds one row per entry of `rows`. */
interface SummedRows {
  rows: number[];
  sums: Float64Array;
  rowSize: number;
}

function sumDuplicateRows(
  values: NDArray,
  indices: NDArray,
  variable: NDArray,
  ctx: KernelContext<ApplyAttrs>,
): SummedRows {
  const firstDim = variable.shape[0]!;
  const rowSize = variable.size / Math.max(firstDim, 1);
  const n = indices.size;
  if (indices.rank !== 1 || values.shape[0] !== n || values.size !== n * rowSize) {
    throw new InvalidArgumentError(
      `${ctx.op.type} '${ctx.op.name}': values ${formatShape(values.shape)} and indices ${formatShape(indices.shape)} do not give one row of ` +
        `variable '${ctx.attrs.variable}' ${formatShape(variable.shape)} per index`,
    );
  }
  const ids = indices.data;
  const positionOf = new Map<number, number>();
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= firstDim) {
      throw new InvalidArgumentError(
        `${ctx.op.type} '${ctx.op.name}': indices[${i}] = ${id} is not in [0, ${firstDim})`,
      );
    }
    if (!positionOf.has(id)) {
      positionOf.set(id, rows.length);
      rows.push(id);
    }
  }
  const sums = new Float64Array(rows.length * rowSize);
  const v = values.data;
  for (let i = 0; i < n; i++) {
    const at = positionOf.get(ids[i]!)! * rowSize;
    const from = i * rowSize;
    for (let k = 0; k < rowSize; k++) sums[at + k] = sums[at + k]! + v[from + k]!;
  }
  return { rows, sums, rowSize };
}

interface SparseStep {
  variable: NDArray;
  slots: Float32Array[];
  scalars: number[];
  grad: SummedRows;
}

function prepare(inputs: readonly NDArray[], ctx: KernelContext<ApplyAttrs>): SparseStep {
  const variable = ctx.state.mutableVariable(ctx.attrs.variable);
  const slots = ctx.attrs.slots.map((name) => ctx.state.mutableVariable(name).data as Float32Array);
  const scalars: number[] = [];
  for (let i = 0; i < inputs.length - 2; i++) scalars.push(inputs[i]!.data[0]!);
  const grad = sumDuplicateRows(inputs[inputs.length - 2]!, inputs[inputs.length - 1]!, variable, ctx);
  return { variable, slots, scalars, grad };
}

/** Calls `update(element of the variable, element of the summed gradient)` for every looked-up element. */
function forEachLookedUp({ grad }: SparseStep, update: (at: number, g: number) => void): void {
  const { rows, sums, rowSize } = grad;
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r]! * rowSize;
    for (let k = 0; k < rowSize; k++) update(base + k, sums[r * rowSize + k]!);
  }
}

function sparseApplyGradientDescent(
  inputs: readonly NDArray[],
  ctx: OpKernelContext<'SparseApplyGradientDescent'>,
): NDArray {
  const step = prepare(inputs, ctx);
  const w = step.variable.data as Float32Array;
  const [lr] = step.scalars as [number];
  forEachLookedUp(step, (i, g) => (w[i] = w[i]! - lr * g));
  return step.variable;
}

function sparseApplyMomentum(inputs: readonly NDArray[], ctx: OpKernelContext<'SparseApplyMomentum'>): NDArray {
  const step = prepare(inputs, ctx);
  const w = step.variable.data as Float32Array;
  const [accum] = step.slots as [Float32Array];
  const [lr, momentum] = step.scalars as [number, number];
  const nesterov = ctx.attrs.useNesterov === true;
  forEachLookedUp(step, (i, g) => {
    const a = accum[i]! * momentum + g;
    accum[i] = a;
    w[i] = nesterov ? w[i]! - (lr * g + lr * momentum * a) : w[i]! - lr * a;
  });
  return step.variable;
}

function sparseApplyRMSProp(inputs: readonly NDArray[], ctx: OpKernelContext<'SparseApplyRMSProp'>): NDArray {
  const step = prepare(inputs, ctx);
  const w = step.variable.data as Float32Array;
  const [ms, mom] = step.slots as [Float32Array, Float32Array];
  const [lr, rho, momentum, epsilon] = step.scalars as [number, number, number, number];
  forEachLookedUp(step, (i, g) => {
    const s = ms[i]! + (g * g - ms[i]!) * (1 - rho);
    const u = mom[i]! * momentum + (lr * g) / Math.sqrt(s + epsilon);
    ms[i] = s;
    mom[i] = u;
    w[i] = w[i]! - u;
  });
  return step.variable;
}

function sparseApplyCenteredRMSProp(
  inputs: readonly NDArray[],
  ctx: OpKernelContext<'SparseApplyCenteredRMSProp'>,
): NDArray {
  const step = prepare(inputs, ctx);
  const w = step.variable.data as Float32Array;
  const [mg, ms, mom] = step.slots as [Float32Array, Float32Array, Float32Array];
  const [lr, rho, momentum, epsilon] = step.scalars as [number, number, number, number];
  forEachLookedUp(step, (i, g) => {
    const meanGrad = mg[i]! + (g - mg[i]!) * (1 - rho);
    const s = ms[i]! + (g * g - ms[i]!) * (1 - rho);
    const u = mom[i]! * momentum + (lr * g) / Math.sqrt(s - meanGrad * meanGrad + epsilon);
    mg[i] = meanGrad;
    ms[i] = s;
    mom[i] = u;
    w[i] = w[i]! - u;
  });
  return step.variable;
}

function sparseApplyAdagrad(inputs: readonly NDArray[], ctx: OpKernelContext<'SparseApplyAdagrad'>): NDArray {
  const step = prepare(inputs, ctx);
  const w = step.variable.data as Float32Array;
  const [accum] = step.slots as [Float32Array];
  const [lr] = step.scalars as [number];
  forEachLookedUp(step, (i, g) => {
    const a = accum[i]! + g * g;
    accum[i] = a;
    w[i] = w[i]! - (lr * g) / Math.sqrt(a);
  });
  return step.variable;
}

/** TF1 Adam's sparse path: every row's m and v decay and every row moves; looked-up rows add their gradient. */
function sparseApplyAdam(inputs: readonly NDArray[], ctx: OpKernelContext<'SparseApplyAdam'>): NDArray {
  const step = prepare(inputs, ctx);
  const w = step.variable.data as Float32Array;
  const [m, v] = step.slots as [Float32Array, Float32Array];
  const [beta1Power, beta2Power, lr, beta1, beta2, epsilon] = step.scalars as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const lrT = (lr * Math.sqrt(1 - beta2Power)) / (1 - beta1Power);
  for (let i = 0; i < m.length; i++) {
    m[i] = m[i]! * beta1;
    v[i] = v[i]! * beta2;
  }
  forEachLookedUp(step, (i, g) => {
    m[i] = m[i]! + (1 - beta1) * g;
    v[i] = v[i]! + (1 - beta2) * g * g;
  });
  for (let i = 0; i < w.length; i++) w[i] = w[i]! - (lrT * m[i]!) / (Math.sqrt(v[i]!) + epsilon);
  return step.variable;
}

/** Sparse optimizer update kernels (used by @tsflow/train for gradients of `gather`). */
export const sparseTrainingCpuKernels: OpKernelSpec[] = [
  defineKernel('SparseApplyGradientDescent', 'cpu', sparseApplyGradientDescent),
  defineKernel('SparseApplyMomentum', 'cpu', sparseApplyMomentum),
  defineKernel('SparseApplyRMSProp', 'cpu', sparseApplyRMSProp),
  defineKernel('SparseApplyCenteredRMSProp', 'cpu', sparseApplyCenteredRMSProp),
  defineKernel('SparseApplyAdagrad', 'cpu', sparseApplyAdagrad),
  defineKernel('SparseApplyAdam', 'cpu', sparseApplyAdam),
];
