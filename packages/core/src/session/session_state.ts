import { FailedPreconditionError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import type { RandomStream, SessionState } from '../kernel_registry.js';
import type { DType, TypedArray } from '../dtype.js';
import { VariableStorage } from './variable_storage.js';
import { NDArray } from '../ndarray/ndarray.js';
import { combineSeeds, Xoshiro128 } from './random_stream.js';

/** Variable values and random streams owned by one Session. @internal */
export class SessionVariableState implements SessionState {
  private readonly values = new Map<string, NDArray>();
  private readonly streams = new Map<string, RandomStream>();
  /** Arrays owned by the session (variable values): fetched results that alias them are copied. */
  readonly owned = new WeakSet<NDArray>();
  /** Every buffer that has held a variable's value: a fetched view of one is copied. */
  private readonly ownedBuffers = new WeakSet<ArrayBufferLike>();
  /** Storage of each variable's previous value, and the run in which it was replaced. */
  private readonly spares = new Map<string, { data: TypedArray; retiredIn: number }>();
  /** Buffers handed out by variableBuffer: only these are recycled (never a caller's or gpu.js's array). */
  private readonly recyclable = new WeakSet<TypedArray>();
  private readonly storage = new VariableStorage();
  private run = 0;

  constructor(private readonly graph: Graph) {}

  readVariable(name: string): NDArray {
    const value = this.values.get(name);
    if (value === undefined) throw new FailedPreconditionError(`Attempting to use uninitialized value ${name}`);
    return value;
  }

  writeVariable(name: string, value: NDArray): void {
    const previous = this.values.get(name);
    if (previous !== undefined && previous.data !== value.data && this.recyclable.has(previous.data)) {
      // The older spare (if any) is dropped: a value of the run that retired it may still read it.
      const dropped = this.spares.get(name);
      if (dropped !== undefined && dropped.data !== value.data)
        this.storage.release(dropped.data, dropped.retiredIn === this.run);
      this.spares.set(name, { data: previous.data, retiredIn: this.run });
    }
    this.values.set(name, value);
    this.owned.add(value);
    this.ownedBuffers.add(value.data.buffer);
  }

  mutableVariable(name: string): NDArray {
    const value = this.readVariable(name);
    if (!this.liveInRun?.(value)) return value;
    const data = this.variableBuffer(name, value.dtype, value.size);
    data.set(value.data);
    const copy = new NDArray(value.dtype, value.shape, data);
    this.writeVariable(name, copy);
    return copy;
  }

  /**
   * Set by the session for the duration of a run: whether a value of the run (a slot not yet
   * freed, a fetch) shares `value`'s buffer.
   */
  liveInRun: ((value: NDArray) => boolean) | undefined;

  variableBuffer(name: string, dtype: DType, length: number): TypedArray {
    const spare = this.spares.get(name);
    // Replaced in an earlier run: that run's values are gone (fetched ones were copied).
    if (
      spare !== undefined &&
      spare.retiredIn < this.run &&
      spare.data.length === length &&
      sameElementType(spare.data, dtype)
    ) {
      this.spares.delete(name);
      return spare.data;
    }
    const data = this.storage.allocate(dtype, length);
    this.recyclable.add(data);
    return data;
  }

  /** A new run starts (values of earlier runs can no longer be read by kernels). */
  beginRun(): void {
    this.run++;
    this.storage.beginRun();
  }

  /** Whether `buffer` backs (or backed) a variable's value, so a fetched view of it must be copied. */
  holdsBuffer(buffer: ArrayBufferLike): boolean {
    return this.ownedBuffers.has(buffer);
  }

  isInitialized(name: string): boolean {
    return this.values.has(name);
  }

  randomStream(opName: string, seed: number | undefined): RandomStream {
    let stream = this.streams.get(opName);
    if (!stream) {
      const graphSeed = this.graph.seed;
      let effective: number;
      if (seed === undefined && graphSeed === undefined) effective = (Math.random() * 4294967296) >>> 0;
      else effective = combineSeeds(graphSeed ?? 87654321, seed ?? hashName(opName));
      stream = new Xoshiro128(effective);
      this.streams.set(opName, stream);
    }
    return stream;
  }

  clear(): void {
    this.values.clear();
    this.spares.clear();
    this.storage.clear();
    this.streams.clear();
  }
}

function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

function sameElementType(data: TypedArray, dtype: DType): boolean {
  return dtype === 'float32'
    ? data instanceof Float32Array
    : dtype === 'int32'
      ? data instanceof Int32Array
      : data instanceof Uint8Array;
}
