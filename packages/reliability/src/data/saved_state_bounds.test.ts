import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@tsflow/core';
import { Dataset, type IteratorState } from '@tsflow/data';
import { failureOf, fixture } from '../fixtures.js';

/** A real saved state of `ds` after one element, with `edit` applied to its position. */
async function editedState(
  ds: Dataset<unknown>,
  edit: (position: Record<string, unknown>) => void,
): Promise<IteratorState> {
  const it = ds.iterator();
  await it.next();
  const state = structuredClone(it.saveState()) as IteratorState;
  await it.return();
  edit(state.position as Record<string, unknown>);
  return state;
}

/** The error of resuming `ds` from `state` (at open or at the first element). */
async function resumeFailure(ds: Dataset<unknown>, state: IteratorState): Promise<Error> {
  return failureOf((async () => ds.iterator({ state }).next())());
}

describe('a saved iterator state beyond the data is refused, not silently resumed past rows', () => {
  it('Parquet: row 1e12 of a 64-row row group', async () => {
    const ds = Dataset.fromParquet(fixture('parquet', 'iris.parquet'));
    const error = await resumeFailure(ds, await editedState(ds, (p) => (p.row = 1e12)));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(
      /Saved iterator state does not fit ParquetSource\(.*\): field 'row' is 1000000000000, beyond the data \(row group 0 of file '.*iris\.parquet' has 64 rows\)/,
    );
  });

  it('Parquet: a row group or a file that does not exist', async () => {
    const ds = Dataset.fromParquet(fixture('parquet', 'parts', 'iris-part-*.parquet'));
    expect((await resumeFailure(ds, await editedState(ds, (p) => (p.rowGroup = 9)))).message).toMatch(
      /field 'rowGroup' is 9, beyond the data \(file '.*iris-part-0\.parquet' has 1 row groups\)/,
    );
    expect(
      (await resumeFailure(ds, await editedState(ds, (p) => Object.assign(p, { file: 7, row: 0 })))).message,
    ).toMatch(/field 'file' is 7, beyond the data \(3 files\)/);
  });

  it('Arrow IPC file: a batch or a row that does not exist', async () => {
    const ds = Dataset.fromArrow(fixture('arrow', 'iris.arrow'));
    expect((await resumeFailure(ds, await editedState(ds, (p) => (p.row = 1e12)))).message).toMatch(
      /field 'row' is 1000000000000, beyond the data \(record batch 0 has \d+ rows\)/,
    );
    expect(
      (await resumeFailure(ds, await editedState(ds, (p) => Object.assign(p, { batch: 40, row: 0 })))).message,
    ).toMatch(/field 'batch' is 40, beyond the data \(there are \d+ record batches\)/);
  });

  it('fromArray / range: a position past the end', async () => {
    const ds = Dataset.fromArray([1, 2, 3]);
    expect((await resumeFailure(ds, await editedState(ds, (p) => (p.position = 1e12)))).message).toMatch(
      /Saved iterator state does not fit FromArray\(3\): field 'position' is 1000000000000, beyond the data \(3 elements\)/,
    );
  });

  it('a state at the very end resumes to an empty rest', async () => {
    const ds = Dataset.fromArray([1, 2, 3]);
    expect(await Dataset.fromArray([]).toArray()).toEqual([]);
    const it = ds.iterator({ state: await editedState(ds, (p) => (p.position = 3)) });
    expect((await it.next()).done).toBe(true);
  });
});
