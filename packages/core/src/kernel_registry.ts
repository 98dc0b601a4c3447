import type { DType, TypedArray } from './dtype.js';
import { NotFoundError } from './errors.js';
import type { Attrs, Operation } from './graph/operation.js';
import type { OpAttrs, OpType } from './graph/op_types.js';
import type { NDArray } from './ndarray/ndarray.js';

/** Where a kernel executes: plain typed arrays, or gpu.js kernels. */
export type Device = 'cpu' | 'gpu';

/** Per-session mutable state that stateful kernels (variables, random ops) use. */
export interface SessionState {
  /** Current value of a variable; throws FailedPreconditionError when uninitialized. */
  readVariable(name: string): NDArray;
  writeVariable(name: string, value: NDArray): void;
  /**
   * The variable's array, for a kernel that updates a few rows in place (sparse optimizer
   * updates). When a value still reachable in the current run shares its buffer (a read of the
   * variable that a later op or a fetch uses), the variable first gets a private copy, so an
   * in-place update is never seen by values read before it.
   */
  mutableVariable(name: string): NDArray;
  /**
   * Storage for a variable's next value (then stored with writeVariable): the variable's previous
   * storage when no value of this or an earlier run can still see it, else a fresh array. So an
   * optimizer step reuses two buffers per variable and slot instead of allocating.
   */
  variableBuffer(name: string, dtype: DType, length: number): TypedArray;
  isInitialized(name: string): boolean;
  /** A per-session, per-op random stream: the n-th run of a seeded op gives the same values in every session. */
  randomStream(opName: string, seed: number | undefined): RandomStream;
}

export interface RandomStream {
  /** Uniform in [0, 1). */
  nextUniform(): number;
}

/** What a kernel gets besides its inputs; `A` types its attrs (see OpKernelContext). */
export interface KernelContext<A = Attrs> {
  readonly op: Operation;
  readonly attrs: A;
  readonly state: SessionState;
  readonly device: Device;
  /**
   * Storage for outputs and scratch that the plan reuses run after run (see
   * kernels/cpu/kernel_memory.ts for the helpers kernels call). Absent when a kernel runs outside
   * a cpu Session; the helpers then allocate fresh arrays.
   */
  readonly memory?: KernelMemory;
  /** Lives as long as the plan step (across runs): see cachedByShapes in kernels/cpu/kernel_memory.ts. */
  readonly stepCache?: StepCache;
  /** Threads a cpu kernel may split its work over (the session's `threads`); absent = 1. */
  readonly threads?: number;
}

/** What a kernel derived from its inputs' shapes, kept for the next run of the same plan step. */
export interface StepCache {
  shapes: (readonly number[])[] | null;
  value: unknown;
}

/**
 * Where a Session's cpu kernels get their arrays: the one allocation point of the executor.
 * Arrays are valid until the run ends and their contents are unspecified; a kernel must never
 * keep one beyond the run (never store it in session state: a later run overwrites it).
 */
export interface KernelMemory {
  array(element: DType | 'float64', length: number): TypedArray | Float64Array;
}

/**
 * Computes an op's outputs from its input values. Returns one NDArray for single-output ops or
 * an array with one entry per output. Kernels never mutate their inputs.
 */
export type Kernel = (inputs: readonly NDArray[], ctx: KernelContext) => NDArray | NDArray[];

/** The context of a kernel of op type(s) `T`, attrs typed from graph/op_types.ts: `ctx.attrs.transposeA`. */
export type OpKernelContext<T extends OpType> = KernelContext<OpAttrs[T]>;

/** A kernel of op type(s) `T`. */
export type OpKernel<T extends OpType> = (inputs: readonly NDArray[], ctx: OpKernelContext<T>) => NDArray | NDArray[];

export interface KernelSpec {
  opType: string;
  device: Device;
  kernel: Kernel;
  /** Optional: false when this kernel can't run these inputs (the executor then falls back to cpu). */
  supports?: (inputs: readonly NDArray[], op: Operation) => boolean;
}

/** A kernel of @tsflow/core: its op type is an `OpType`, so a misspelled one does not compile. */
export type OpKernelSpec = KernelSpec & { opType: OpType };

/**
 * A built-in kernel whose function reads attrs typed for its op type (`ctx.attrs.transposeA`, no
 * casts); pairing it with an op type whose attrs differ does not compile.
 */
export function defineKernel<T extends OpType>(opType: T, device: Device, kernel: OpKernel<T>): OpKernelSpec {
  // The registry dispatches by op type: this kernel only ever runs ops of type T.
  return { opType, device, kernel: kernel as unknown as Kernel };
}

const registry = new Map<string, KernelSpec>();

function key(opType: string, device: Device): string {
  return `${device}:${opType}`;
}

/** Registers a kernel for (op type, device). Registering the same pair twice throws. */
export function registerKernel(spec: KernelSpec): void {
  const k = key(spec.opType, spec.device);
  if (registry.has(k)) throw new Error(`A ${spec.device} kernel for '${spec.opType}' is already registered`);
  registry.set(k, spec);
}

export function registerKernels(specs: readonly OpKernelSpec[]): void {
  for (const spec of specs) registerKernel(spec);
}

export function getKernel(opType: string, device: Device): KernelSpec | undefined {
  return registry.get(key(opType, device));
}

/** Op types with a kernel on `device`. */
export function registeredOpTypes(device: Device): string[] {
  const prefix = `${device}:`;
  return [...registry.keys()]
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .sort();
}

/** Picks the kernel for an op on a device. Replaceable by the gpu backend's placement policy. */
export type KernelResolver = (op: Operation, device: Device | 'auto') => { kernel: KernelSpec; fallback?: KernelSpec };

/** The registered kernel for `device` (a gpu kernel with the cpu one as its fallback); NotFoundError when there is none. */
export const defaultKernelResolver: KernelResolver = (op, device) => {
  const cpu = getKernel(op.type, 'cpu');
  if (device === 'gpu') {
    const gpu = getKernel(op.type, 'gpu');
    if (gpu) return cpu ? { kernel: gpu, fallback: cpu } : { kernel: gpu };
  }
  if (!cpu) throw new NotFoundError(`No kernel registered for op '${op.name}' (op: '${op.type}') on device cpu.`);
  return { kernel: cpu };
};
