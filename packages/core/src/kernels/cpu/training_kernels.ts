import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import type { ApplyAttrs } from '../../graph/op_types.js';
import { heapAddress, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import { runShares } from '../../cpu_backend/wasm_dispatch.js';

/*
 * Fused optimizer updates. Inputs are [var, ...slots, ...scalar hyperparameters, grad]. Every
 * kernel makes one pass over the variable, reading the current arrays and writing new ones
 * (stored arrays are never mutated: a value read earlier in the run may alias them). The new
 * arrays come from state.variableBuffer, which hands back each variable's previous storage
 * once nothing can read it, so steady-state steps allocate nothing.
 * Arithmetic is in float64 registers, stored as float32.
 */

interface Unpacked {
  variable: Float32Array;
  slots: Float32Array[];
  scalars: number[];
  grad: Float32Array;
  shape: readonly number[];
}

function unpack(inputs: readonly NDArray[], ctx: KernelContext<ApplyAttrs>, slotCount: number): Unpacked {
  const variable = inputs[0]!;
  const grad = inputs[inputs.length - 1]!;
  if (!shapesEqual(grad.shape, variable.shape)) {
    throw new InvalidArgumentError(
      `${ctx.op.type} '${ctx.op.name}': gradient has shape ${formatShape(grad.shape)} but variable '${ctx.attrs.variable}' has shape ${formatShape(variable.shape)}`,
    );
  }
  const scalars: number[] = [];
  for (let i = 1 + slotCount; i < inputs.length - 1; i++) scalars.push(inputs[i]!.data[0]!);
  return {
    variable: variable.data as Float32Array,
    slots: inputs.slice(1, 1 + slotCount).map((s) => s.data as Float32Array),
    scalars,
    grad: grad.data as Float32Array,
    shape: variable.shape,
  };
}

/** Stores the new slot arrays and the new variable value; returns the latter as the output. */
function commit(
  ctx: KernelContext<ApplyAttrs>,
  shape: readonly number[],
  variable: Float32Array,
  slots: Float32Array[],
): NDArray {
  const slotNames = ctx.attrs.slots;
  for (let i = 0; i < slots.length; i++)
    ctx.state.writeVariable(slotNames[i]!, new NDArray('float32', shape, slots[i]!));
  const value = new NDArray('float32', shape, variable);
  ctx.state.writeVariable(ctx.attrs.variable, value);
  return value;
}

/** Storage for the new value of the variable (slot -1) or of slot `slot`. */
function nextBuffer(ctx: KernelContext<ApplyAttrs>, slot: number, length: number): Float32Array {
  const name = slot < 0 ? ctx.attrs.variable : ctx.attrs.slots[slot]!;
  return ctx.state.variableBuffer(name, 'float32', length) as Float32Array;
}

function applyGradientDescent(inputs: readonly NDArray[], ctx: OpKernelContext<'ApplyGradientDescent'>): NDArray {
  const { variable: w, scalars, grad: g, shape } = unpack(inputs, ctx, 0);
  const lr = scalars[0]!;
  const out = nextBuffer(ctx, -1, w.length);
  if (!updateInWasm(ctx, 'applyGradientDescent', [w, g, out], [lr]))
    for (let i = 0; i < w.length; i++) out[i] = w[i]! - lr * g[i]!;
  return commit(ctx, shape, out, []);
}

function applyMomentum(inputs: readonly NDArray[], ctx: OpKernelContext<'ApplyMomentum'>): NDArray {
  const { variable: w, slots, scalars, grad: g, shape } = unpack(inputs, ctx, 1);
  const accum = slots[0]!;
  const lr = scalars[0]!;
  const momentum = scalars[1]!;
  const nesterov = ctx.attrs.useNesterov === true;
  const out = nextBuffer(ctx, -1, w.length);
  const accumOut = nextBuffer(ctx, 0, w.length);
  if (updateInWasm(ctx, 'applyMomentum', [w, accum, g, out, accumOut], [lr, momentum, lr * momentum, nesterov ? 1 : 0]))
    return commit(ctx, shape, out, [accumOut]);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const a = accum[i]! * momentum + gi;
    accumOut[i] = a;
    out[i] = nesterov ? w[i]! - (lr * gi + lr * momentum * a) : w[i]! - lr * a;
  }
  return commit(ctx, shape, out, [accumOut]);
}

function applyAdam(inputs: readonly NDArray[], ctx: OpKernelContext<'ApplyAdam'>): NDArray {
  const { variable: w, slots, scalars, grad: g, shape } = unpack(inputs, ctx, 2);
  const [m, v] = slots as [Float32Array, Float32Array];
  const [beta1Power, beta2Power, lr, beta1, beta2, epsilon] = scalars as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // In float32 as TensorFlow's kernel (and the wasm one, bit for bit): every step rounded.
  const f = Math.fround;
  const alpha = f(f(lr * f(Math.sqrt(f(1 - beta2Power)))) / f(1 - beta1Power));
  const oneMinusBeta1 = f(1 - beta1);
  const oneMinusBeta2 = f(1 - beta2);
  const nesterov = ctx.attrs.useNesterov === true;
  const out = nextBuffer(ctx, -1, w.length);
  const mOut = nextBuffer(ctx, 0, w.length);
  const vOut = nextBuffer(ctx, 1, w.length);
  const wasmArgs = [beta1, oneMinusBeta1, oneMinusBeta2, alpha, epsilon, nesterov ? 1 : 0];
  if (updateInWasm(ctx, 'applyAdam', [w, m, v, g, out, mOut, vOut], wasmArgs))
    return commit(ctx, shape, out, [mOut, vOut]);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const mi = f(m[i]! + f(f(gi - m[i]!) * oneMinusBeta1));
    const vi = f(v[i]! + f(f(f(gi * gi) - v[i]!) * oneMinusBeta2));
    mOut[i] = mi;
    vOut[i] = vi;
    const direction = nesterov ? f(f(mi * beta1) + f(oneMinusBeta1 * gi)) : mi;
    out[i] = f(w[i]! - f(f(alpha * direction) / f(f(Math.sqrt(vi)) + epsilon)));
  }
  return commit(ctx, shape, out, [mOut, vOut]);
}

function applyRMSProp(inputs: readonly NDArray[], ctx: OpKernelContext<'ApplyRMSProp'>): NDArray {
  const { variable: w, slots, scalars, grad: g, shape } = unpack(inputs, ctx, 2);
  const [ms, mom] = slots as [Float32Array, Float32Array];
  const [lr, rho, momentum, epsilon] = scalars as [number, number, number, number];
  const out = nextBuffer(ctx, -1, w.length);
  const msOut = nextBuffer(ctx, 0, w.length);
  const momOut = nextBuffer(ctx, 1, w.length);
  if (updateInWasm(ctx, 'applyRMSProp', [w, ms, mom, g, out, msOut, momOut], [lr, 1 - rho, momentum, epsilon])) {
    return commit(ctx, shape, out, [msOut, momOut]);
  }
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const s = ms[i]! + (gi * gi - ms[i]!) * (1 - rho);
    const u = mom[i]! * momentum + (lr * gi) / Math.sqrt(s + epsilon);
    msOut[i] = s;
    momOut[i] = u;
    out[i] = w[i]! - u;
  }
  return commit(ctx, shape, out, [msOut, momOut]);
}

function applyCenteredRMSProp(inputs: readonly NDArray[], ctx: OpKernelContext<'ApplyCenteredRMSProp'>): NDArray {
  const { variable: w, slots, scalars, grad: g, shape } = unpack(inputs, ctx, 3);
  const [mg, ms, mom] = slots as [Float32Array, Float32Array, Float32Array];
  const [lr, rho, momentum, epsilon] = scalars as [number, number, number, number];
  const out = nextBuffer(ctx, -1, w.length);
  const mgOut = nextBuffer(ctx, 0, w.length);
  const msOut = nextBuffer(ctx, 1, w.length);
  const momOut = nextBuffer(ctx, 2, w.length);
  if (
    updateInWasm(
      ctx,
      'applyCenteredRMSProp',
      [w, mg, ms, mom, g, out, mgOut, msOut, momOut],
      [lr, 1 - rho, momentum, epsilon],
    )
  ) {
    return commit(ctx, shape, out, [mgOut, msOut, momOut]);
  }
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const meanGrad = mg[i]! + (gi - mg[i]!) * (1 - rho);
    const s = ms[i]! + (gi * gi - ms[i]!) * (1 - rho);
    const u = mom[i]! * momentum + (lr * gi) / Math.sqrt(s - meanGrad * meanGrad + epsilon);
    mgOut[i] = meanGrad;
    msOut[i] = s;
    momOut[i] = u;
    out[i] = w[i]! - u;
  }
  return commit(ctx, shape, out, [mgOut, msOut, momOut]);
}

function applyAdagrad(inputs: readonly NDArray[], ctx: OpKernelContext<'ApplyAdagrad'>): NDArray {
  const { variable: w, slots, scalars, grad: g, shape } = unpack(inputs, ctx, 1);
  const accum = slots[0]!;
  const lr = scalars[0]!;
  const out = nextBuffer(ctx, -1, w.length);
  const accumOut = nextBuffer(ctx, 0, w.length);
  if (updateInWasm(ctx, 'applyAdagrad', [w, accum, g, out, accumOut], [lr])) return commit(ctx, shape, out, [accumOut]);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const a = accum[i]! + gi * gi;
    accumOut[i] = a;
    out[i] = w[i]! - (lr * gi) / Math.sqrt(a);
  }
  return commit(ctx, shape, out, [accumOut]);
}

/**
 * The update on its wasm kernel (cpu_backend/wasm/optimizers.wat: the same arithmetic, in
 * float64 or, for Adam, float32, so the same results) when every array is in the tensor heap;
 * threads split long variables.
 * `arrays` are the kernel's array arguments in order; false when the JS loop must run instead.
 */
function updateInWasm(ctx: KernelContext, name: UpdateKernel, arrays: Float32Array[], scalars: number[]): boolean {
  const wasm = wasmKernels();
  if (wasm === null) return false;
  const addresses = arrays.map((a) => heapAddress(wasm, a));
  if (addresses.some((a) => a < 0)) return false;
  const n = arrays[0]!.length;
  runShares(ctx, wasm, name, n, n * arrays.length, (from, to) => [...addresses, from, to, ...scalars], { align: 2 });
  return true;
}

type UpdateKernel =
  | 'applyGradientDescent'
  | 'applyMomentum'
  | 'applyAdam'
  | 'applyRMSProp'
  | 'applyCenteredRMSProp'
  | 'applyAdagrad';

/** Optimizer update kernels (used by @tsflow/train). */
export const trainingCpuKernels: OpKernelSpec[] = [
  defineKernel('ApplyGradientDescent', 'cpu', applyGradientDescent),
  defineKernel('ApplyMomentum', 'cpu', applyMomentum),
  defineKernel('ApplyAdam', 'cpu', applyAdam),
  defineKernel('ApplyRMSProp', 'cpu', applyRMSProp),
  defineKernel('ApplyCenteredRMSProp', 'cpu', applyCenteredRMSProp),
  defineKernel('ApplyAdagrad', 'cpu', applyAdagrad),
];
