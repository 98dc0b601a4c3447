import { InvalidArgumentError } from '@tsflow/core';
import {
  END_OF_SEQUENCE,
  NOT_READY,
  type Stage,
  type StageIterator,
  type StageState,
  type SyncPull,
} from '../pipeline/stage.js';
import { DONE_RESULT, pullSync } from '../pipeline/pull.js';
import { decodeElement, encodeElement } from '../pipeline/element_codec.js';
import { SpinGuard } from '../pipeline/spin_guard.js';
import { stageFailure } from '../pipeline/stage_errors.js';
import { badState, readCount, readUpstream } from '../pipeline/state_fields.js';
import { PrefetchStage } from './prefetch.js';
import { closeInBackground } from '../pipeline/close_quietly.js';

export interface InterleaveOptions {
  /** How many inner datasets are open at once (default: the number of cores, as in tf.data). */
  cycleLength?: number;
  /** Consecutive elements taken from one inner dataset before moving on (default 1). */
  blockLength?: number;
  /** With > 1, the open inner datasets prefetch a block ahead concurrently; order is unchanged. */
  parallelism?: number;
}

interface Slot<U> {
  /** The input element the inner dataset was made from (kept so a saved state can rebuild it). */
  source: unknown;
  iterator: StageIterator<U>;
}

/**
 * `interleave(fn, { cycleLength, blockLength })` with tf.data's order: `cycleLength` inner
 * datasets are open; `blockLength` elements are taken from each in turn; an exhausted inner
 * dataset's slot is refilled from the next input element. `flatMap` is cycleLength 1.
 */
export class InterleaveStage<I, U> implements Stage<U> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;
  private readonly cycleLength: number;
  private readonly blockLength: number;
  private readonly makeInner: (element: I) => Stage<U>;

  constructor(
    private readonly input: Stage<I>,
    makeInner: (element: I) => Stage<U>,
    options: Required<Pick<InterleaveOptions, 'cycleLength' | 'blockLength'>> & { parallelism?: number },
    label?: string,
  ) {
    this.cycleLength = options.cycleLength;
    this.blockLength = options.blockLength;
    for (const [name, value] of [
      ['cycleLength', this.cycleLength],
      ['blockLength', this.blockLength],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new InvalidArgumentError(`interleave: ${name} must be a positive integer, got ${value}`);
    }
    const parallelism = options.parallelism ?? 1;
    this.makeInner = parallelism > 1 ? (element) => new PrefetchStage(makeInner(element), this.blockLength) : makeInner;
    this.upstream = [input];
    this.label = label ?? `Interleave(cycleLength=${this.cycleLength}, blockLength=${this.blockLength})`;
  }

  open(state?: StageState): StageIterator<U> {
    const iterator = new InterleaveIterator<I, U>(
      this,
      this.input.open(state && readUpstream(state, 'upstream', this.label)),
      this.makeInner,
      this.cycleLength,
      this.blockLength,
    );
    if (state !== undefined) iterator.restore(state, this.label);
    return iterator;
  }
}

class InterleaveIterator<I, U> implements StageIterator<U> {
  private readonly slots: (Slot<U> | undefined)[];
  private cycleIndex = 0;
  private blockIndex = 0;
  private openCount = 0;
  private endOfInput = false;
  private readonly spin = new SpinGuard();

  constructor(
    private readonly stage: Stage<unknown>,
    private readonly input: StageIterator<I>,
    private readonly makeInner: (element: I) => Stage<U>,
    private readonly cycleLength: number,
    private readonly blockLength: number,
  ) {
    this.slots = new Array(cycleLength).fill(undefined);
  }

  restore(state: StageState, label: string): void {
    this.cycleIndex = readCount(state, 'cycleIndex', label);
    this.blockIndex = readCount(state, 'blockIndex', label);
    this.endOfInput = state.endOfInput === true;
    const slots = state.slots;
    if (!Array.isArray(slots) || slots.length !== this.cycleLength)
      throw badState(label, `field 'slots' should be an array of ${this.cycleLength}`);
    slots.forEach((saved: unknown, i) => {
      if (saved === null) return;
      if (typeof saved !== 'object' || Array.isArray(saved) || !('source' in saved)) {
        throw badState(label, `field 'slots[${i}]' should be null or { source, state }, got ${JSON.stringify(saved)}`);
      }
      const source = decodeElement(saved.source);
      this.slots[i] = {
        source,
        iterator: this.openInner(source as I, readUpstream(saved as StageState, 'state', label)),
      };
      this.openCount++;
    });
  }

  private openInner(element: I, state?: StageState): StageIterator<U> {
    try {
      return this.makeInner(element).open(state);
    } catch (error) {
      throw stageFailure(this.stage, error);
    }
  }

  /**
   * Moves through the cycle without waiting: returns an element, the end, or `NOT_READY` when
   * the next pull (from the current inner dataset, or from the input to fill an empty slot)
   * must be awaited — nothing has been taken then, so `next()` awaits exactly that pull. Inner
   * datasets that are synchronous thus interleave without a Promise per element, and a
   * `prefetch` after the interleave pulls synchronously.
   */
  nextSync(): SyncPull<U> {
    if (this.spin.yieldPending) return NOT_READY;
    while (!this.endOfInput || this.openCount > 0) {
      const slot = this.slots[this.cycleIndex];
      if (slot !== undefined) {
        const value = pullSync(slot.iterator);
        if (value === NOT_READY) return NOT_READY;
        if (value !== END_OF_SEQUENCE) {
          this.spin.produced();
          return this.deliver(value);
        }
        this.retire(slot);
        // Inner datasets that end empty, one after another, produce nothing.
        if (this.spin.consumedWithoutOutput()) return NOT_READY;
      } else if (!this.endOfInput) {
        const element = pullSync(this.input);
        if (element === NOT_READY) return NOT_READY;
        this.fill(element);
      } else {
        this.advanceCycle();
      }
    }
    return END_OF_SEQUENCE;
  }

  async next(): Promise<IteratorResult<U, undefined>> {
    for (;;) {
      if (this.spin.yieldPending) await this.spin.yieldNow();
      const ready = this.nextSync();
      if (ready === END_OF_SEQUENCE) return DONE_RESULT;
      if (ready !== NOT_READY) return { value: ready, done: false };
      if (this.spin.yieldPending) continue;
      // nextSync stopped at a pull that has to be awaited: do that one pull.
      const slot = this.slots[this.cycleIndex];
      if (slot !== undefined) {
        const result = await slot.iterator.next();
        if (!result.done) return { value: this.deliver(result.value), done: false };
        this.retire(slot);
      } else {
        const result = await this.input.next();
        this.fill(result.done ? END_OF_SEQUENCE : result.value);
      }
    }
  }

  private deliver(value: U): U {
    if (++this.blockIndex === this.blockLength) this.advanceCycle();
    return value;
  }

  /** The current slot's inner dataset has ended: close it and move on. */
  private retire(slot: Slot<U>): void {
    this.slots[this.cycleIndex] = undefined;
    this.openCount--;
    closeInBackground(slot.iterator);
    this.advanceCycle();
  }

  /** Opens the inner dataset of the next input element in the current (empty) slot. */
  private fill(element: I | typeof END_OF_SEQUENCE): void {
    // Closed while the input pull was awaited: open nothing that would never be closed.
    if (this.endOfInput) return;
    if (element === END_OF_SEQUENCE) {
      this.endOfInput = true;
      return;
    }
    this.slots[this.cycleIndex] = { source: element, iterator: this.openInner(element) };
    this.openCount++;
  }

  private advanceCycle(): void {
    this.cycleIndex = (this.cycleIndex + 1) % this.cycleLength;
    this.blockIndex = 0;
  }

  saveState(): StageState {
    return {
      cycleIndex: this.cycleIndex,
      blockIndex: this.blockIndex,
      endOfInput: this.endOfInput,
      slots: this.slots.map((slot) =>
        slot === undefined
          ? null
          : { source: encodeElement(slot.source, this.stage.label), state: slot.iterator.saveState() },
      ),
      upstream: this.input.saveState(),
    };
  }

  async close(): Promise<void> {
    const open = this.slots.filter((slot): slot is Slot<U> => slot !== undefined);
    this.slots.fill(undefined);
    this.openCount = 0;
    this.endOfInput = true;
    await Promise.all([this.input.close(), ...open.map((slot) => slot.iterator.close())]);
  }
}
