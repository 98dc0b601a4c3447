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
import { readCount, readUpstream } from '../pipeline/state_fields.js';
import { closeInBackground } from '../pipeline/close_quietly.js';

/**
 * `repeat(count)`: `count` passes over the upstream (undefined or negative: forever; 0: none).
 * Each epoch reopens the upstream, so shuffles reshuffle. An epoch that yields nothing ends the
 * repetition (as in tf.data) instead of spinning forever on an empty dataset.
 */
export class RepeatStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;
  private readonly count: number;

  constructor(
    private readonly input: Stage<T>,
    count?: number,
  ) {
    if (count !== undefined && !Number.isInteger(count)) {
      throw new InvalidArgumentError(`repeat: count must be an integer, got ${count}`);
    }
    this.count = count === undefined || count < 0 ? Infinity : count;
    this.upstream = [input];
    this.label = this.count === Infinity ? 'Repeat' : `Repeat(${count})`;
  }

  open(state?: StageState): StageIterator<T> {
    const epoch = state === undefined ? 0 : readCount(state, 'epoch', this.label);
    const producedThisEpoch = state === undefined ? false : state.producedThisEpoch === true;
    return new RepeatIterator(
      this.input,
      this.count,
      epoch,
      producedThisEpoch,
      state && readUpstream(state, 'upstream', this.label),
    );
  }
}

class RepeatIterator<T> extends PullIterator<T> {
  private current: StageIterator<T> | undefined;

  constructor(
    private readonly input: Stage<T>,
    private readonly count: number,
    private epoch: number,
    private producedThisEpoch: boolean,
    upstreamState: StageState | undefined,
  ) {
    super();
    if (epoch < count) this.current = input.open(upstreamState);
  }

  nextSync(): SyncPull<T> {
    for (;;) {
      const current = this.current;
      if (current === undefined) return END_OF_SEQUENCE;
      if (current.nextSync === undefined) return NOT_READY;
      const element = current.nextSync();
      if (element === NOT_READY) return NOT_READY;
      if (element !== END_OF_SEQUENCE) {
        this.producedThisEpoch = true;
        return element;
      }
      this.startNextEpoch();
    }
  }

  protected async nextAsync(): Promise<T | typeof END_OF_SEQUENCE> {
    for (;;) {
      const current = this.current;
      if (current === undefined) return END_OF_SEQUENCE;
      const result = await current.next();
      if (!result.done) {
        this.producedThisEpoch = true;
        return result.value;
      }
      this.startNextEpoch();
      const ready = this.nextSync();
      if (ready !== NOT_READY) return ready;
    }
  }

  private startNextEpoch(): void {
    const finished = this.current!;
    closeInBackground(finished);
    this.epoch++;
    const emptyEpoch = !this.producedThisEpoch;
    this.producedThisEpoch = false;
    this.current = this.epoch < this.count && !emptyEpoch ? this.input.open() : undefined;
  }

  override whenReady(): Promise<void> | undefined {
    return this.current?.whenReady?.();
  }

  saveState(): StageState {
    return {
      epoch: this.epoch,
      producedThisEpoch: this.producedThisEpoch,
      upstream: this.current === undefined ? null : this.current.saveState(),
    };
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    this.epoch = this.count;
    if (current !== undefined) await current.close();
  }
}
