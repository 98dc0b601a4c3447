import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelSpec, type OpKernelContext } from '../../kernel_registry.js';

function constKernel(_inputs: readonly NDArray[], ctx: OpKernelContext<'Const'>): NDArray {
  return ctx.attrs.value;
}

function placeholderKernel(_inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  // The session checks feeds before running; reaching this means the placeholder was not fed.
  throw new InvalidArgumentError(`You must feed a value for placeholder tensor '${ctx.op.name}'`);
}

function identityKernel(inputs: readonly NDArray[]): NDArray {
  return inputs[0]!;
}

function variableKernel(_inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  return ctx.state.readVariable(ctx.op.name);
}

function assignKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'Assign'>): NDArray {
  const name = ctx.attrs.variable;
  const value = inputs[0]!;
  const expected = ctx.op.outputs[0]!.shape as number[];
  if (!shapesEqual(value.shape, expected)) {
    throw new InvalidArgumentError(
      `Assign requires shapes of both tensors to match. lhs shape= ${formatShape(expected)} rhs shape= ${formatShape(value.shape)} (variable '${name}')`,
    );
  }
  // Store a copy: the value may be a caller's fed buffer (reused for the next batch) or a
  // constant, and a variable must never change behind the session's back.
  const data = ctx.state.variableBuffer(name, value.dtype, value.size);
  data.set(value.data);
  const stored = new NDArray(value.dtype, value.shape, data);
  ctx.state.writeVariable(name, stored);
  return stored;
}

function makeAccumulateKernel(sign: 1 | -1) {
  return (inputs: readonly NDArray[], ctx: OpKernelContext<'AssignAdd' | 'AssignSub'>): NDArray => {
    const name = ctx.attrs.variable;
    const current = ctx.state.readVariable(name);
    const delta = inputs[0]!;
    if (!shapesEqual(current.shape, delta.shape)) {
      throw new InvalidArgumentError(
        `${ctx.op.type} to '${name}' needs a value of shape ${formatShape(current.shape)}, got ${formatShape(delta.shape)}`,
      );
    }
    const o = ctx.state.variableBuffer(name, current.dtype, current.size);
    const c = current.data;
    const d = delta.data;
    if (sign === 1) for (let i = 0; i < o.length; i++) o[i] = c[i]! + d[i]!;
    else for (let i = 0; i < o.length; i++) o[i] = c[i]! - d[i]!;
    const out = new NDArray(current.dtype, current.shape, o);
    ctx.state.writeVariable(name, out);
    return out;
  };
}

function reportUninitializedKernel(
  _inputs: readonly NDArray[],
  ctx: OpKernelContext<'ReportUninitializedVariables'>,
): NDArray {
  const names = ctx.attrs.variables;
  const mask = new Uint8Array(names.length);
  for (let i = 0; i < names.length; i++) mask[i] = ctx.state.isInitialized(names[i]!) ? 0 : 1;
  return new NDArray('bool', [names.length], mask);
}

function noOpKernel(): NDArray[] {
  return [];
}

/** Graph-structure kernels: constants, placeholders, variables and control. */
export const baseCpuKernels: OpKernelSpec[] = [
  defineKernel('Const', 'cpu', constKernel),
  { opType: 'Placeholder', device: 'cpu', kernel: placeholderKernel },
  { opType: 'Identity', device: 'cpu', kernel: identityKernel },
  { opType: 'StopGradient', device: 'cpu', kernel: identityKernel },
  { opType: 'NoOp', device: 'cpu', kernel: noOpKernel },
  { opType: 'VariableV2', device: 'cpu', kernel: variableKernel },
  defineKernel('Assign', 'cpu', assignKernel),
  defineKernel('AssignAdd', 'cpu', makeAccumulateKernel(1)),
  defineKernel('AssignSub', 'cpu', makeAccumulateKernel(-1)),
  defineKernel('ReportUninitializedVariables', 'cpu', reportUninitializedKernel),
];
