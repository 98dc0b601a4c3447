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
import { stackElements } from '../pipeline/stacking.js';
import { decodeElement, encodeElement } from '../pipeline/element_codec.js';
import { stageFailure } from '../pipeline/stage_errors.js';
import { badState, readUpstream } from '../pipeline/state_fields.js';
import { ColumnarBatchIterator } from '../pipeline/columnar_batch.js';

export interface BatchOptions {
  /** Drop the last batch when it has fewer than `batchSize` elements (default false). */
  dropRemainder?: boolean;
}

/** How a batch stage turns its collected rows into one element (paddedBatch pads). */
export interface BatchCombiner {
  readonly label: string;
  combine(rows: readonly unknown[]): unknown;
}

/**
 * `batch(n)`: stacks n consecutive elements (see `stackElements`). When the upstream stage is
 * columnar (`openChunks`), column chunks are sliced into batches without building row objects.
 */
export class BatchStage<T> implements Stage<unknown> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;

  constructor(
    private readonly input: Stage<T>,
    private readonly batchSize: number,
    private readonly options: BatchOptions = {},
    private readonly combiner?: BatchCombiner,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new InvalidArgumentError(`batch: batchSize must be a positive integer, got ${batchSize}`);
    }
    this.upstream = [input];
    this.label =
      combiner?.label ?? (options.dropRemainder ? `Batch(${batchSize}, dropRemainder)` : `Batch(${batchSize})`);
  }

  open(state?: StageState): StageIterator<unknown> {
    const dropRemainder = this.options.dropRemainder ?? false;
    if (this.input.openChunks !== undefined && this.combiner === undefined) {
      return new ColumnarBatchIterator(this, this.input, this.batchSize, dropRemainder, state);
    }
    const upstreamState = state === undefined ? undefined : readUpstream(state, 'upstream', this.label);
    const combine =
      this.combiner === undefined
        ? (rows: readonly unknown[]) => stackElements(rows, this.label)
        : this.combiner.combine;
    const iterator = new RowBatchIterator(this, this.input.open(upstreamState), this.batchSize, dropRemainder, combine);
    if (state !== undefined && state.rows !== undefined) {
      if (!Array.isArray(state.rows))
        throw badState(this.label, `field 'rows' should be an array, got ${JSON.stringify(state.rows)}`);
      iterator.restoreRows(state.rows.map(decodeElement) as T[]);
    }
    return iterator;
  }
}

class RowBatchIterator<T> extends PullIterator<unknown> {
  /** Elements of the batch being filled; only non-empty while a fill waits on upstream. */
  private rows: T[] = [];
  private ended = false;

  constructor(
    private readonly stage: Stage<unknown>,
    private readonly input: StageIterator<T>,
    private readonly batchSize: number,
    private readonly dropRemainder: boolean,
    private readonly combine: (rows: readonly unknown[]) => unknown,
  ) {
    super();
  }

  /** Resuming: rows collected before the state was saved (while waiting on upstream). */
  restoreRows(rows: T[]): void {
    this.rows = rows;
  }

  nextSync(): SyncPull<unknown> {
    const input = this.input;
    if (input.nextSync === undefined && !this.ended) return NOT_READY;
    const rows = this.rows;
    while (!this.ended && rows.length < this.batchSize) {
      const element = input.nextSync!();
      if (element === NOT_READY) return NOT_READY;
      if (element === END_OF_SEQUENCE) this.ended = true;
      else rows.push(element);
    }
    return this.emit();
  }

  protected async nextAsync(): Promise<unknown> {
    const rows = this.rows;
    while (!this.ended && rows.length < this.batchSize) {
      const result = await this.input.next();
      if (result.done) this.ended = true;
      else rows.push(result.value);
      if (this.input.nextSync !== undefined && !this.ended && rows.length < this.batchSize) {
        // Upstream may have more ready synchronously now; take them without awaiting.
        const value = this.nextSync();
        if (value !== NOT_READY) return value;
      }
    }
    return this.emit();
  }

  private emit(): unknown {
    const rows = this.rows;
    if (rows.length === 0 || (this.dropRemainder && rows.length < this.batchSize)) {
      rows.length = 0;
      return END_OF_SEQUENCE;
    }
    try {
      return this.combine(rows);
    } catch (error) {
      throw stageFailure(this.stage, error);
    } finally {
      rows.length = 0;
    }
  }

  override whenReady(): Promise<void> | undefined {
    return this.input.whenReady?.();
  }

  saveState(): StageState {
    const upstream = this.input.saveState();
    if (this.rows.length === 0) return { upstream };
    return { upstream, rows: this.rows.map((row) => encodeElement(row, this.stage.label)) };
  }

  close(): Promise<void> {
    return this.input.close();
  }
}
