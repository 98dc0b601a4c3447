import { FailedPreconditionError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import type { RandomStream, SessionState } from '../kernels/kernel_registry.js';
import { NDArray } from '../ndarray/ndarray.js';
import { combineSeeds, Xoshiro128 } from './random_stream.js';

/** Variable values and random streams owned by one Session. @internal */
export class SessionVariableState implements SessionState {
  private readonly values = new Map<string, NDArray>();
  private readonly streams = new Map<string, RandomStream>();
  /** Arrays owned by the session (variable values): fetched results that alias them are copied. */
  readonly owned = new WeakSet<NDArray>();

  constructor(private readonly graph: Graph) {}

  readVariable(name: string): NDArray {
    const value = this.values.get(name);
    if (value === undefined) throw new FailedPreconditionError(`Attempting to use uninitialized value ${name}`);
    return value;
  }

  writeVariable(name: string, value: NDArray): void {
    this.values.set(name, value);
    this.owned.add(value);
  }

  mutableVariable(name: string): NDArray {
    const value = this.readVariable(name);
    if (!this.liveInRun?.(value)) return value;
    const copy = new NDArray(value.dtype, value.shape, value.data.slice());
    this.writeVariable(name, copy);
    return copy;
  }

  /**
   * Set by the session for the duration of a run: whether a value of the run (a slot not yet
   * freed, a fetch) shares `value`'s buffer.
   */
  liveInRun: ((value: NDArray) => boolean) | undefined;

  /** Whether `buffer` backs a variable's current value (so a fetched view of it must be copied). */
  holdsBuffer(buffer: ArrayBufferLike): boolean {
    for (const value of this.values.values()) if (value.data.buffer === buffer) return true;
    return false;
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
    this.streams.clear();
  }
}

function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}
