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
import { SeededRandom } from '../pipeline/seeded_random.js';
import { badState, readCount, readUpstream } from '../pipeline/state_fields.js';

export interface ShuffleOptions {
  /** Makes the order reproducible across runs (each pass still differs, deterministically). */
  seed?: number;
  /** Draw a new order on every pass (default true); false repeats the first pass's order. */
  reshuffleEachIteration?: boolean;
}

/**
 * `shuffle(bufferSize)`: tf.data's buffered shuffle. The buffer is filled with the first
 * `bufferSize` elements; each output is a uniformly random buffer slot, refilled from
 * upstream. A buffer of 1 keeps the order; a buffer >= the dataset size is a full shuffle.
 * The saved state holds the buffer contents and the generator state, so a resumed pass
 * continues with exactly the same order.
 */
export class ShuffleStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;
  /** Passes opened so far: pass k draws from stream k of the seed. */
  private passes = 0;
  private readonly baseSeed: number;

  constructor(
    private readonly input: Stage<T>,
    private readonly bufferSize: number,
    private readonly options: ShuffleOptions = {},
  ) {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) {
      throw new InvalidArgumentError(`shuffle: bufferSize must be a positive integer, got ${bufferSize}`);
    }
    if (options.seed !== undefined && !Number.isFinite(options.seed)) {
      throw new InvalidArgumentError(`shuffle: seed must be a finite number, got ${options.seed}`);
    }
    this.baseSeed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.upstream = [input];
    this.label = `Shuffle(${bufferSize})`;
  }

  open(state?: StageState): StageIterator<T> {
    if (state === undefined) {
      const pass = this.options.reshuffleEachIteration === false ? 0 : this.passes++;
      return new ShuffleIterator(
        this.label,
        this.input.open(),
        this.bufferSize,
        pass,
        SeededRandom.fromSeed(this.baseSeed, pass),
        [],
        false,
      );
    }
    const pass = readCount(state, 'pass', this.label);
    this.passes = Math.max(this.passes, pass + 1);
    if (!Array.isArray(state.buffer)) throw badState(this.label, "field 'buffer' should be an array");
    if (!isGeneratorState(state.random)) {
      throw badState(this.label, `field 'random' should be 4 32-bit integers, got ${JSON.stringify(state.random)}`);
    }
    const buffer = (state.buffer as unknown[]).map(decodeElement) as T[];
    const upstream = this.input.open(readUpstream(state, 'upstream', this.label));
    return new ShuffleIterator(
      this.label,
      upstream,
      this.bufferSize,
      pass,
      SeededRandom.fromState(state.random),
      buffer,
      state.upstreamEnded === true,
    );
  }
}

function isGeneratorState(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    value.every((word) => Number.isInteger(word) && word >= -(2 ** 31) && word < 2 ** 32)
  );
}

class ShuffleIterator<T> extends PullIterator<T> {
  constructor(
    private readonly label: string,
    private readonly input: StageIterator<T>,
    private readonly bufferSize: number,
    private readonly pass: number,
    private readonly random: SeededRandom,
    private readonly buffer: T[],
    private upstreamEnded: boolean,
  ) {
    super();
  }

  nextSync(): SyncPull<T> {
    const buffer = this.buffer;
    const input = this.input;
    while (!this.upstreamEnded && buffer.length < this.bufferSize) {
      if (input.nextSync === undefined) return NOT_READY;
      const element = input.nextSync();
      if (element === NOT_READY) return NOT_READY;
      if (element === END_OF_SEQUENCE) this.upstreamEnded = true;
      else buffer.push(element);
    }
    return this.draw();
  }

  protected async nextAsync(): Promise<T | typeof END_OF_SEQUENCE> {
    const buffer = this.buffer;
    while (!this.upstreamEnded && buffer.length < this.bufferSize) {
      const result = await this.input.next();
      if (result.done) this.upstreamEnded = true;
      else buffer.push(result.value);
      const ready = this.nextSync();
      if (ready !== NOT_READY) return ready;
    }
    return this.draw();
  }

  /** Takes a random element out of the (full, or final) buffer; the last one fills its slot. */
  private draw(): T | typeof END_OF_SEQUENCE {
    const buffer = this.buffer;
    if (buffer.length === 0) return END_OF_SEQUENCE;
    const slot = this.random.nextIndex(buffer.length);
    const element = buffer[slot]!;
    buffer[slot] = buffer[buffer.length - 1]!;
    buffer.pop();
    return element;
  }

  override whenReady(): Promise<void> | undefined {
    return this.input.whenReady?.();
  }

  saveState(): StageState {
    return {
      pass: this.pass,
      random: this.random.state(),
      buffer: this.buffer.map((element) => encodeElement(element, this.label)),
      upstreamEnded: this.upstreamEnded,
      upstream: this.input.saveState(),
    };
  }

  close(): Promise<void> {
    this.buffer.length = 0;
    this.upstreamEnded = true;
    return this.input.close();
  }
}
