import { InvalidArgumentError, NDArray } from '@tsflow/core';
import { END_OF_SEQUENCE, NOT_READY, type Stage, type StageIterator, type StageState, type SyncPull } from '../pipeline/stage.js';
import { PullIterator } from '../pipeline/pull.js';
import { scalarRow } from '../pipeline/scalar_rows.js';
import { describe } from '../pipeline/stacking.js';
import { stageFailure } from '../pipeline/stage_errors.js';
import { readCount, readUpstream } from '../pipeline/state_fields.js';

/**
 * `unbatch()`: splits each element along its first dimension, the inverse of `batch`.
 * NDArray rows become NDArray views (rank-1 arrays give scalars, see `scalarRow`), arrays of
 * strings / Dates / nulls give their items; objects and tuples are split field by field (all
 * fields must agree on the number of rows).
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
  private batch: unknown;
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
    try {
      this.rows = countRows(element, 'element');
    } catch (error) {
      throw stageFailure(this.stage, error);
    }
    this.row = this.pendingSkip;
    this.pendingSkip = 0;
    this.stateBeforeBatch = stateBefore;
    this.batch = element;
    return true;
  }

  private takeRow(): unknown {
    return rowOf(this.batch, this.row++);
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

function countRows(value: unknown, path: string): number {
  if (value instanceof NDArray) {
    if (value.rank === 0) throw new InvalidArgumentError(`Unbatch needs rank >= 1 at ${path}, got a scalar NDArray`);
    return value.shape[0]!;
  }
  if (Array.isArray(value) && value.every(isValueItem)) return value.length;
  const fields = Array.isArray(value)
    ? value.map((field, i) => [`${path}[${i}]`, field] as const)
    : value !== null && typeof value === 'object'
      ? Object.entries(value).map(([key, field]) => [`${path}.${key}`, field] as const)
      : undefined;
  if (fields === undefined || fields.length === 0) {
    throw new InvalidArgumentError(`Unbatch cannot split ${describe(value)} at ${path}; expected NDArrays, arrays of strings / Dates, or objects/tuples of them`);
  }
  let rows = -1;
  for (const [fieldPath, field] of fields) {
    const n = countRows(field, fieldPath);
    if (rows >= 0 && n !== rows) {
      throw new InvalidArgumentError(`Unbatch: fields disagree on the number of rows: ${fields[0]![0]} has ${rows}, ${fieldPath} has ${n}`);
    }
    rows = n;
  }
  return rows;
}

/** Items of a value column (what `batch` gives for strings, Dates and nullable columns). */
function isValueItem(item: unknown): boolean {
  return typeof item === 'string' || item === null || item instanceof Date;
}

function rowOf(value: unknown, row: number): unknown {
  if (value instanceof NDArray) {
    const rowShape = value.shape.slice(1);
    if (rowShape.length === 0) return scalarRow(value, row);
    const rowSize = value.size / value.shape[0]!;
    return new NDArray(value.dtype, rowShape, value.data.subarray(row * rowSize, (row + 1) * rowSize));
  }
  if (Array.isArray(value)) {
    // countRows accepted this batch, so an array starting with a string / Date / null is a
    // value column (a tuple can't hold those bare); checking every item here would cost
    // O(rows) per row.
    if (isValueItem(value[0])) return value[row];
    return value.map((field) => rowOf(field, row));
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as object)) out[key] = rowOf(field, row);
  return out;
}
