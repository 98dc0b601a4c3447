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
import { badState, readCount, readUpstream } from '../pipeline/state_fields.js';
import { ArrayStage } from '../sources/from_array.js';

export interface WindowOptions {
  /** Elements between the starts of consecutive windows (default: size). */
  shift?: number;
  /** Elements between the members of one window (default 1). */
  stride?: number;
  /** Drop windows shorter than `size` at the end (default false). */
  dropRemainder?: boolean;
}

/**
 * `window(size)`: like tf.data, each element is a (small, in-memory) Stage of up to `size`
 * elements; window k holds input elements `k*shift + j*stride` for j < size. The Dataset
 * method wraps each window Stage in a Dataset, so `flatMap((w) => w.batch(size))` works.
 */
export class WindowStage<T, W> implements Stage<W> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;
  private readonly shift: number;
  private readonly stride: number;

  constructor(
    private readonly input: Stage<T>,
    private readonly size: number,
    private readonly options: WindowOptions,
    /** Turns a window's Stage into the element users see (a Dataset). */
    private readonly wrap: (window: Stage<T>) => W,
  ) {
    this.shift = options.shift ?? size;
    this.stride = options.stride ?? 1;
    for (const [name, value] of [
      ['size', size],
      ['shift', this.shift],
      ['stride', this.stride],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new InvalidArgumentError(`window: ${name} must be a positive integer, got ${value}`);
    }
    this.upstream = [input];
    this.label = `Window(${size}, shift=${this.shift}, stride=${this.stride}${options.dropRemainder ? ', dropRemainder' : ''})`;
  }

  open(state?: StageState): StageIterator<W> {
    const iterator = new WindowIterator<T, W>(
      this.input.open(state && readUpstream(state, 'upstream', this.label)),
      this.size,
      this.shift,
      this.stride,
      this.options.dropRemainder ?? false,
      this.wrap,
    );
    if (state !== undefined) {
      if (!Array.isArray(state.buffer)) throw badState(this.label, "field 'buffer' should be an array");
      iterator.restore(
        readCount(state, 'nextStart', this.label),
        readCount(state, 'bufferStart', this.label),
        (state.buffer as unknown[]).map(decodeElement) as T[],
        state.ended === true,
      );
    }
    return iterator;
  }
}

class WindowIterator<T, W> extends PullIterator<W> {
  /** Input elements from absolute index `bufferStart` on, kept until no window needs them. */
  private buffer: T[] = [];
  private bufferStart = 0;
  private nextStart = 0;
  private ended = false;

  constructor(
    private readonly input: StageIterator<T>,
    private readonly size: number,
    private readonly shift: number,
    private readonly stride: number,
    private readonly dropRemainder: boolean,
    private readonly wrap: (window: Stage<T>) => W,
  ) {
    super();
  }

  restore(nextStart: number, bufferStart: number, buffer: T[], ended: boolean): void {
    this.nextStart = nextStart;
    this.bufferStart = bufferStart;
    this.buffer = buffer;
    this.ended = ended;
  }

  /** Absolute index one past the last input element the next window needs. */
  private get needed(): number {
    return this.nextStart + (this.size - 1) * this.stride + 1;
  }

  nextSync(): SyncPull<W> {
    while (!this.ended && this.bufferStart + this.buffer.length < this.needed) {
      if (this.input.nextSync === undefined) return NOT_READY;
      const element = this.input.nextSync();
      if (element === NOT_READY) return NOT_READY;
      this.accept(element);
    }
    return this.emit();
  }

  protected async nextAsync(): Promise<W | typeof END_OF_SEQUENCE> {
    while (!this.ended && this.bufferStart + this.buffer.length < this.needed) {
      const result = await this.input.next();
      this.accept(result.done ? END_OF_SEQUENCE : result.value);
    }
    return this.emit();
  }

  private accept(element: T | typeof END_OF_SEQUENCE): void {
    if (element === END_OF_SEQUENCE) this.ended = true;
    // Elements before the next window's start (when shift > window span) are not kept.
    else if (this.bufferStart + this.buffer.length < this.nextStart) this.bufferStart++;
    else this.buffer.push(element);
  }

  private emit(): W | typeof END_OF_SEQUENCE {
    const members: T[] = [];
    for (let j = 0; j < this.size; j++) {
      const index = this.nextStart + j * this.stride - this.bufferStart;
      if (index >= this.buffer.length) break;
      members.push(this.buffer[index]!);
    }
    if (members.length === 0 || (this.dropRemainder && members.length < this.size)) return END_OF_SEQUENCE;
    this.nextStart += this.shift;
    const drop = Math.min(this.buffer.length, this.nextStart - this.bufferStart);
    this.buffer.splice(0, drop);
    this.bufferStart += drop;
    return this.wrap(new ArrayStage(members, `Window[${members.length}]`));
  }

  override whenReady(): Promise<void> | undefined {
    return this.input.whenReady?.();
  }

  saveState(): StageState {
    return {
      nextStart: this.nextStart,
      bufferStart: this.bufferStart,
      buffer: this.buffer.map((element) => encodeElement(element, 'Window')),
      ended: this.ended,
      upstream: this.input.saveState(),
    };
  }

  close(): Promise<void> {
    this.buffer = [];
    this.ended = true;
    return this.input.close();
  }
}
