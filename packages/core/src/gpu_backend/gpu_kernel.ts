import { allocTypedArray, type DType, type TypedArray } from '../dtype.js';
import type { Operation } from '../graph/operation.js';
import type { Kernel, KernelSpec, OpKernel, OpKernelSpec } from '../kernel_registry.js';
import type { OpType } from '../graph/op_types.js';
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape, isFullyDefined, shapeSize } from '../ndarray/shape.js';
import { activeGpuRuntime } from './gpu_runtime.js';
import type { GpuKernelSource } from './kernel_cache.js';
import { type DeviceBuffer, flattenKernelOutput, GpuResidentArray } from './resident_array.js';

/**
 * gpu.js computes (and, on GL, addresses textures) in float32: integers, and so element indices,
 * are exact only up to 2^24. Larger tensors or int32 values run on cpu instead.
 */
export const MAX_EXACT_FLOAT_INT = 2 ** 24;

/** How a gpu kernel treats int32 / bool operands. */
export type IntegerPolicy =
  /** Results are input values or 0/1 (selection, comparison, data movement): exact while |x| <= 2^24. */
  | 'exact-values'
  /** Integer arithmetic wraps and floors like int32; gpu.js floats cannot reproduce that: cpu. */
  | 'cpu';

/** A gpu kernel of op type(s) `T`: `run` reads attrs typed for `T` (see graph/op_types.ts). */
export interface GpuKernelDefinition<T extends OpType = OpType> {
  opType: T;
  integerPolicy: IntegerPolicy;
  /** Kernel-specific reasons these inputs cannot run on gpu.js (checked after the generic ones). */
  unsupported?: (inputs: readonly NDArray[], op: Operation) => string | undefined;
  run: OpKernel<T>;
}

/**
 * Reasons that mean "these inputs are invalid": the cpu kernel runs only to raise its named error,
 * so the session neither reports nor warns about them as gpu fallbacks.
 */
const invalidInputReasons = new Set<string>();

/** Marks `reason` as an invalid-input refusal (see invalidInputReasons) and returns it. */
export function invalidInput(reason: string): string {
  invalidInputReasons.add(reason);
  return reason;
}

export function isInvalidInputReason(reason: string): boolean {
  return invalidInputReasons.has(reason);
}

/** Why a gpu kernel declined its inputs, by kernel spec, for the session's fallback report. */
const reasonFns = new WeakMap<KernelSpec, (inputs: readonly NDArray[], op: Operation) => string | undefined>();

/** Builds the KernelSpec of a gpu kernel with the generic size and dtype checks in `supports`. */
export function defineGpuKernel<T extends OpType>(definition: GpuKernelDefinition<T>): OpKernelSpec {
  const reason = (inputs: readonly NDArray[], op: Operation): string | undefined =>
    genericUnsupportedReason(definition, inputs, op) ?? definition.unsupported?.(inputs, op);
  const spec: OpKernelSpec = {
    opType: definition.opType,
    device: 'gpu',
    // The registry dispatches by op type: this kernel only ever runs ops of type T.
    kernel: definition.run as unknown as Kernel,
    supports: (inputs, op) => reason(inputs, op) === undefined,
  };
  reasonFns.set(spec, reason);
  return spec;
}

/** Why `spec` would not run `inputs` on gpu.js (undefined when it would). */
export function gpuUnsupportedReason(spec: KernelSpec, inputs: readonly NDArray[], op: Operation): string | undefined {
  const fn = reasonFns.get(spec);
  if (fn) return fn(inputs, op);
  return spec.supports && !spec.supports(inputs, op) ? 'the gpu kernel declined these inputs' : undefined;
}

function genericUnsupportedReason<T extends OpType>(
  definition: GpuKernelDefinition<T>,
  inputs: readonly NDArray[],
  op: Operation,
): string | undefined {
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    if (x.size > MAX_EXACT_FLOAT_INT) return tooLarge(`input ${i}`, x.shape);
    if (x.dtype === 'int32') {
      if (definition.integerPolicy === 'cpu')
        return 'int32 arithmetic wraps and floors like int32, which float32 gpu.js kernels cannot reproduce';
      if (!int32FitsFloat(x.data as Int32Array))
        return `input ${i} holds int32 values beyond 2^24, which float32 gpu.js kernels cannot represent exactly`;
    }
  }
  for (let i = 0; i < op.outputs.length; i++) {
    const shape = op.outputs[i]!.shape;
    if (isFullyDefined(shape) && shapeSize(shape) > MAX_EXACT_FLOAT_INT) return tooLarge(`output ${i}`, shape);
  }
  return undefined;
}

function tooLarge(what: string, shape: readonly number[]): string {
  return `${what} of shape ${formatShape(shape)} has ${shapeSize(shape)} elements; gpu.js indexes in float32 (exact to 2^24 = ${MAX_EXACT_FLOAT_INT}) and GL textures are size-limited`;
}

function int32FitsFloat(data: Int32Array): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v > MAX_EXACT_FLOAT_INT || v < -MAX_EXACT_FLOAT_INT) return false;
  }
  return true;
}

/** A kernel argument: host float32 data, or a texture still on the GPU. */
export type KernelInput = Float32Array | DeviceBuffer;

/**
 * A tensor as gpu.js takes it: a resident value's texture (no host round trip), else float32
 * data (int32 / bool converted; exact, see IntegerPolicy).
 */
export function kernelArg(x: NDArray): KernelInput {
  if (x instanceof GpuResidentArray && x.deviceBuffer) return x.deviceBuffer;
  return x.dtype === 'float32' ? (x.data as Float32Array) : Float32Array.from(x.data);
}

/** Cache key for a kernel: op type, operand dtypes and shapes, plus kernel-specific attributes. */
export function kernelKey(opType: string, inputs: readonly NDArray[], extra = ''): string {
  let key = opType;
  for (const x of inputs) key += `|${x.dtype}[${x.shape.join(',')}]`;
  return extra === '' ? key : `${key}|${extra}`;
}

/**
 * Runs the cached kernel for `key` (compiled from `describe()` on first use) and returns its
 * output as an NDArray of `dtype` and `shape`.
 */
export function runGpuKernel(
  key: string,
  describe: () => GpuKernelSource,
  args: readonly (KernelInput | number)[],
  dtype: DType,
  shape: readonly number[],
): NDArray {
  const size = shapeSize(shape);
  if (size === 0) return new NDArray(dtype, shape, allocTypedArray(dtype, 0));
  // A kernel compiled for array arguments is not the one for texture arguments (GL backends).
  let signature = '';
  for (const arg of args) signature += typeof arg === 'number' ? 'n' : ArrayBuffer.isView(arg) ? 'a' : 't';
  const raw = activeGpuRuntime().kernels.run(`${key}|${signature}`, describe, args);
  if (isDeviceBuffer(raw)) {
    // Pipelined GL output: float32 stays on the GPU; int32 / bool are rounded on the host now.
    if (dtype === 'float32') return new GpuResidentArray(shape, raw);
    const values = raw.toArray();
    raw.delete();
    return new NDArray(dtype, shape, fromKernelOutput(values, dtype, size));
  }
  return new NDArray(dtype, shape, fromKernelOutput(raw, dtype, size));
}

function isDeviceBuffer(raw: unknown): raw is DeviceBuffer {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    !ArrayBuffer.isView(raw) &&
    !Array.isArray(raw) &&
    typeof (raw as DeviceBuffer).toArray === 'function'
  );
}

/** A gpu.js result as `dtype` data (see flattenKernelOutput for its layouts). */
function fromKernelOutput(raw: unknown, dtype: DType, size: number): TypedArray {
  const flat = flattenKernelOutput(raw, size);
  if (dtype === 'float32') return flat;
  const out = allocTypedArray(dtype, size);
  // GL backends may return 2.9999 for 3: round integer results; bool is any non-zero.
  if (dtype === 'int32') for (let i = 0; i < size; i++) out[i] = Math.round(flat[i]!);
  else for (let i = 0; i < size; i++) out[i] = flat[i] !== 0 ? 1 : 0;
  return out;
}
