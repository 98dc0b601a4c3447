import { InvalidArgumentError } from '@tsflow/core';
import {
  END_OF_SEQUENCE,
  NOT_READY,
  type Stage,
  type StageIterator,
  type StageState,
  type SyncPull,
} from '../pipeline/stage.js';
import { PullIterator } from '../pipeline/pull.js';
import { decodeElement, encodeElement } from '../pipeline/element_codec.js';
import { badState } from '../pipeline/state_fields.js';
import { markTuple } from '../pipeline/value_arrays.js';

/**
 * `Dataset.zip(datasets)`: elements taken in lockstep, as an array (from an array of datasets)
 * or an object (from an object of datasets). Stops at the shortest input.
 */
export class ZipStage implements Stage<unknown> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label = 'Zip';

  constructor(
    inputs: readonly Stage<unknown>[],
    /** Field names when zipping an object of datasets. */
    private readonly keys: readonly string[] | undefined,
  ) {
    if (inputs.length === 0) throw new InvalidArgumentError('zip: needs at least one dataset');
    this.upstream = inputs;
  }

  open(state?: StageState): StageIterator<unknown> {
    let states: readonly (StageState | undefined)[] = [];
    if (state !== undefined) {
      if (!Array.isArray(state.upstreams) || state.upstreams.length !== this.upstream.length) {
        throw badState(this.label, `field 'upstreams' should be an array of ${this.upstream.length} states`);
      }
      states = state.upstreams.map((entry: unknown, i) => {
        if (entry === null || entry === undefined) return undefined;
        if (typeof entry !== 'object' || Array.isArray(entry)) {
          throw badState(this.label, `field 'upstreams[${i}]' should be an object, got ${JSON.stringify(entry)}`);
        }
        return entry as StageState;
      });
      if (state.parts !== undefined && !Array.isArray(state.parts)) {
        throw badState(this.label, `field 'parts' should be an array, got ${JSON.stringify(state.parts)}`);
      }
    }
    const iterator = new ZipIterator(
      this.upstream.map((input, i) => input.open(states[i] ?? undefined)),
      this.keys,
    );
    if (state !== undefined && Array.isArray(state.parts)) iterator.restoreParts(state.parts.map(decodeElement));
    return iterator;
  }
}

class ZipIterator extends PullIterator<unknown> {
  /** Values pulled for the tuple being assembled (kept across a NOT_READY). */
  private parts: unknown[] = [];
  private ended = false;

  constructor(
    private readonly inputs: readonly StageIterator<unknown>[],
    private readonly keys: readonly string[] | undefined,
  ) {
    super();
  }

  restoreParts(parts: unknown[]): void {
    this.parts = parts;
  }

  nextSync(): SyncPull<unknown> {
    if (this.ended) return END_OF_SEQUENCE;
    const parts = this.parts;
    while (parts.length < this.inputs.length) {
      const input = this.inputs[parts.length]!;
      if (input.nextSync === undefined) return NOT_READY;
      const value = input.nextSync();
      if (value === NOT_READY) return NOT_READY;
      if (value === END_OF_SEQUENCE) return this.end();
      parts.push(value);
    }
    return this.assemble();
  }

  protected async nextAsync(): Promise<unknown> {
    const parts = this.parts;
    while (parts.length < this.inputs.length) {
      const result = await this.inputs[parts.length]!.next();
      if (result.done) return this.end();
      parts.push(result.value);
      const ready = this.nextSync();
      if (ready !== NOT_READY) return ready;
    }
    return this.assemble();
  }

  private end(): typeof END_OF_SEQUENCE {
    this.ended = true;
    this.parts.length = 0;
    return END_OF_SEQUENCE;
  }

  private assemble(): unknown {
    const parts = this.parts.splice(0);
    if (this.keys === undefined) return markTuple(parts);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < this.keys.length; i++) out[this.keys[i]!] = parts[i];
    return out;
  }

  override whenReady(): Promise<void> | undefined {
    return this.inputs[this.parts.length]?.whenReady?.();
  }

  saveState(): StageState {
    const upstreams = this.inputs.map((input) => input.saveState());
    if (this.parts.length === 0) return { upstreams };
    return { upstreams, parts: this.parts.map((part) => encodeElement(part, 'Zip')) };
  }

  async close(): Promise<void> {
    this.ended = true;
    await Promise.all(this.inputs.map((input) => input.close()));
  }
}
