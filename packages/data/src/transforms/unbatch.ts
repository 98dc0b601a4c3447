import { InvalidArgumentError, NDArray } from '@tsflow/core';
import {
  END_OF_SEQUENCE,
  NOT_READY,
  type Stage,
  type StageIterator,
  type StageState,
  type SyncPull,
} from '../pipeline/stage.js';
import { PullIterator } from '../pipeline/pull.js';
import { scalarRow } from '../pipeline/scalar_rows.js';
import { describe } from '../pipeline/stacking.js';
import { isTuple, isValueArray, markTuple } from '../pipeline/value_arrays.js';
import { stageFailure } from '../pipeline/stage_errors.js';
import { readCount, readUpstream } from '../pipeline/state_fields.js';

/**
 * `unbatch()`: splits each element along its first dimension, the inverse of `batch`.
 * NDArray rows become NDArray views (rank-1 arrays give scalars, see `scalarRow`), value arrays
 * (numbers / booleans, nested) and arrays of strings / Dates / nulls give their items; objects
 * and tuples are split field by field into objects and tuples (all fields must agree on the
 * number of rows).
 */
export class UnbatchStage implements Stage<unknown> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label = 'Unbatch';

  constructor(private readonly input: Stage<unknown>) {
    this.upstream = [input];
  }

  open(state?: StageState): StageIterator<unknown> {
    const row = state === undefined ? 0 : readCount(state, 'row', this.label);
    const before = state && readUpstream(state, 'upstream', this.label);
    return new UnbatchIterator(this, this.input.open(before), before, row);
  }
}

class UnbatchIterator extends PullIterator<unknown> {
  private batch: RowSplitter | undefined;
  private rows = 0;
  private stateBeforeBatch: StageState | undefined;
  private stateError: unknown;
  /** Rows of the current batch already returned. */
  private row = 0;

  constructor(
    private readonly stage: Stage<unknown>,
    private readonly input: StageIterator<unknown>,
    stateBeforeBatch: StageState | undefined,
    /** On resume: rows of the first batch that were already returned before the save. */
    private pendingSkip: number,
  ) {
    super();
    this.stateBeforeBatch = stateBeforeBatch;
  }

  nextSync(): SyncPull<unknown> {
    while (this.batch === undefined || this.row >= this.rows) {
      if (this.input.nextSync === undefined) return NOT_READY;
      const before = this.snapshot();
      const element = this.input.nextSync();
      if (element === NOT_READY) return NOT_READY;
      if (!this.accept(element, before)) return END_OF_SEQUENCE;
    }
    return this.takeRow();
  }

  protected async nextAsync(): Promise<unknown> {
    while (this.batch === undefined || this.row >= this.rows) {
      const before = this.snapshot();
      const result = await this.input.next();
      if (!this.accept(result.done ? END_OF_SEQUENCE : result.value, before)) return END_OF_SEQUENCE;
    }
    return this.takeRow();
  }

  /** Makes `element` the current batch; false at the end of upstream. */
  private accept(element: unknown, stateBefore: StageState | undefined): boolean {
    if (element === END_OF_SEQUENCE) {
      this.batch = undefined;
      return false;
    }
    let batch: RowSplitter;
    try {
      batch = splitterOf(element, 'element');
    } catch (error) {
      throw stageFailure(this.stage, error);
    }
    this.rows = batch.rows;
    this.row = this.pendingSkip;
    this.pendingSkip = 0;
    this.stateBeforeBatch = stateBefore;
    this.batch = batch;
    return true;
  }

  private takeRow(): unknown {
    return this.batch!.rowAt(this.row++);
  }

  private snapshot(): StageState | undefined {
    if (this.stateError !== undefined) return undefined;
    try {
      return this.input.saveState();
    } catch (error) {
      this.stateError = error;
      return undefined;
    }
  }

  override whenReady(): Promise<void> | undefined {
    return this.input.whenReady?.();
  }

  saveState(): StageState {
    if (this.stateError !== undefined) throw this.stateError;
    if (this.batch === undefined) return { upstream: this.input.saveState(), row: this.pendingSkip };
    return { upstream: this.stateBeforeBatch ?? null, row: this.row };
  }

  close(): Promise<void> {
    this.batch = undefined;
    return this.input.close();
  }
}

/** How one batch splits into rows: computed once per batch, so taking a row costs no re-inspection. */
interface RowSplitter {
  rows: number;
  rowAt(row: number): unknown;
}

function splitterOf(value: unknown, path: string): RowSplitter {
  if (value instanceof NDArray) {
    if (value.rank === 0) throw new InvalidArgumentError(`Unbatch needs rank >= 1 at ${path}, got a scalar NDArray`);
    return { rows: value.shape[0]!, rowAt: (row) => ndarrayRow(value, row) };
  }
  // Value arrays (numbers / booleans, nested) split into their items, as do columns of strings, Dates and nulls.
  if (Array.isArray(value) && !isTuple(value) && (isValueArray(value) || value.every(isLeafItem))) {
    return { rows: value.length, rowAt: (row) => value[row] };
  }
  const isArray = Array.isArray(value);
  const isObject =
    !isArray && value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof Date);
  const keys = isArray ? value.map((_, i) => i) : isObject ? Object.keys(value) : [];
  if (keys.length === 0) {
    throw new InvalidArgumentError(
      `Unbatch cannot split ${describe(value)} at ${path}; expected NDArrays, arrays of numbers / strings / Dates, or objects/tuples of them`,
    );
  }
  const fieldPath = (key: string | number): string => (isArray ? `${path}[${key}]` : `${path}.${key}`);
  const fields = keys.map((key) => splitterOf((value as Record<string | number, unknown>)[key], fieldPath(key)));
  const rows = fields[0]!.rows;
  fields.forEach((field, i) => {
    if (field.rows !== rows) {
      throw new InvalidArgumentError(
        `Unbatch: fields disagree on the number of rows: ${fieldPath(keys[0]!)} has ${rows}, ${fieldPath(keys[i]!)} has ${field.rows}`,
      );
    }
  });
  if (isArray) return { rows, rowAt: (row) => markTuple(fields.map((field) => field.rowAt(row))) };
  return {
    rows,
    rowAt: (row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) out[keys[i]!] = fields[i]!.rowAt(row);
      return out;
    },
  };
}

/** Items of a column that `batch` leaves a plain array (strings, Dates, nullable columns). */
function isLeafItem(item: unknown): boolean {
  return (
    item === null ||
    item instanceof Date ||
    (typeof item !== 'object' && typeof item !== 'function' && item !== undefined)
  );
}

function ndarrayRow(value: NDArray, row: number): unknown {
  const rowShape = value.shape.slice(1);
  if (rowShape.length === 0) return scalarRow(value, row);
  const rowSize = value.size / value.shape[0]!;
  return new NDArray(value.dtype, rowShape, value.data.subarray(row * rowSize, (row + 1) * rowSize));
}
