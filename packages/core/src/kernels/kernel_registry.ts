import type { Attrs, Operation } from '../graph/operation.js';
import type { NDArray } from '../ndarray/ndarray.js';

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
  isInitialized(name: string): boolean;
  /** A per-session, per-op random stream: the n-th run of a seeded op gives the same values in every session. */
  randomStream(opName: string, seed: number | undefined): RandomStream;
}

export interface RandomStream {
  /** Uniform in [0, 1). */
  nextUniform(): number;
}

export interface KernelContext {
  readonly op: Operation;
  readonly attrs: Attrs;
  readonly state: SessionState;
  readonly device: Device;
}

/**
 * Computes an op's outputs from its input values. Returns one NDArray for single-output ops or
 * an array with one entry per output. Kernels never mutate their inputs.
 */
export type Kernel = (inputs: readonly NDArray[], ctx: KernelContext) => NDArray | NDArray[];

export interface KernelSpec {
  opType: string;
  device: Device;
  kernel: Kernel;
  /** Optional: false when this kernel can't run these inputs (the executor then falls back to cpu). */
  supports?: (inputs: readonly NDArray[], op: Operation) => boolean;
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

export function registerKernels(specs: readonly KernelSpec[]): void {
  for (const spec of specs) registerKernel(spec);
}

export function getKernel(opType: string, device: Device): KernelSpec | undefined {
  return registry.get(key(opType, device));
}

/** Op types with a kernel on `device`. */
export function registeredOpTypes(device: Device): string[] {
  const prefix = `${device}:`;
  return [...registry.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).sort();
}
