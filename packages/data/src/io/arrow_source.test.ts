import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NDArray } from '@tsflow/core';
import {
  Bool,
  Dictionary,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  Table,
  TimestampMillisecond,
  Utf8,
  tableFromArrays,
  tableToIPC,
  vectorFromArray,
  type RecordBatch,
} from 'apache-arrow';
import { ArrowSource } from './arrow_source.js';
import { DataLossError } from './io_errors.js';
import { columnValues, drain, readChunks, readRows } from './test_helpers.js';

function mixedTable(): Table {
  return new Table({
    f32: vectorFromArray([1.5, null, 3], new Float32()),
    f64: vectorFromArray([0.25, 1e10, -2], new Float64()),
    i32: vectorFromArray([1, 2, 3], new Int32()),
    i64: vectorFromArray([10n, -20n, 30n], new Int64()),
    flag: vectorFromArray([true, false, true], new Bool()),
    name: vectorFromArray(['a', null, 'ccc'], new Utf8()),
    cat: vectorFromArray(['x', 'y', 'x'], new Dictionary(new Utf8(), new Int32())),
    when: vectorFromArray([new Date(0), new Date(86_400_000), null], new TimestampMillisecond()),
    tags: vectorFromArray([[1, 2], [], null], new List(new Field('item', new Int32(), true))),
    vec: vectorFromArray(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      new FixedSizeList(2, new Field('item', new Float32(), true)),
    ),
  });
}

function splitTable(n: number, pieces: number): Table {
  const table = tableFromArrays({
    x: Float32Array.from({ length: n }, (_, i) => i),
    y: Int32Array.from({ length: n }, (_, i) => i * 2),
  });
  const step = Math.ceil(n / pieces);
  const batches: RecordBatch[] = [];
  for (let start = 0; start < n; start += step) batches.push(...table.slice(start, start + step).batches);
  return new Table(batches);
}

describe('ArrowSource', () => {
  it('reads every supported type as columns and as rows', async () => {
    const source = new ArrowSource(mixedTable());
    const [chunk] = await readChunks(source);
    const cols = chunk!.columns;
    expect((cols.f32 as NDArray).dtype).toBe('float32');
    expect(Array.from((cols.f32 as NDArray).data)).toEqual([1.5, NaN, 3]);
    expect(Array.from((cols.f64 as NDArray).data)).toEqual([0.25, Math.fround(1e10), -2]);
    expect((cols.i64 as NDArray).dtype).toBe('int32');
    expect(Array.from((cols.i64 as NDArray).data)).toEqual([10, -20, 30]);
    expect((cols.flag as NDArray).dtype).toBe('bool');
    expect(cols.name).toEqual(['a', null, 'ccc']);
    expect(cols.cat).toEqual(['x', 'y', 'x']);
    expect(cols.when).toEqual([new Date(0), new Date(86_400_000), null]);
    expect(cols.tags).toEqual([[1, 2], [], null]);
    expect((cols.vec as NDArray).shape).toEqual([3, 2]);

    const rows = await readRows(source);
    expect(rows[0]).toMatchObject({ f32: 1.5, i32: 1, i64: 10, flag: true, name: 'a', cat: 'x', tags: [1, 2] });
    expect((rows[2]!.vec as NDArray).toArray()).toEqual([5, 6]);
    expect(rows[1]!.name).toBeNull();
  });

  it('gives float32 and int32 columns as views of the Arrow buffers', async () => {
    const table = splitTable(10, 1);
    const [chunk] = await readChunks(new ArrowSource(table));
    const arrowX = table.batches[0]!.getChild('x')!.data[0]!.values as Float32Array;
    expect((chunk!.columns.x as NDArray).data.buffer).toBe(arrowX.buffer);
    expect((chunk!.columns.x as NDArray).data.byteOffset).toBe(arrowX.byteOffset);
  });

  it('projects columns and names a missing one', async () => {
    const chunks = await readChunks(new ArrowSource(mixedTable(), { columns: ['name', 'i32'] }));
    expect(Object.keys(chunks[0]!.columns)).toEqual(['name', 'i32']);
    const missing = new ArrowSource(mixedTable(), { columns: ['nope'] });
    await expect(readChunks(missing)).rejects.toThrow(/column 'nope' does not exist; the columns are f32, f64/);
  });

  it('resumes rows exactly from a saved state, across batches', async () => {
    const source = new ArrowSource(splitTable(25, 3));
    const first = source.open();
    const head = await drain(first, 11);
    const state = first.saveState();
    expect(state).toEqual({ batch: 1, row: 2 });
    const rest = await readRows(source, state);
    expect([...head, ...rest].map((row) => row.x)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const chunks = await readChunks(source, state);
    expect(columnValues(chunks, 'x')).toEqual(Array.from({ length: 14 }, (_, i) => i + 11));
  });

  it('applies the null policy: int nulls error unless nullValue, validity masks on request', async () => {
    const table = new Table({ n: vectorFromArray([1, null, 3], new Int32()) });
    await expect(readChunks(new ArrowSource(table))).rejects.toThrow(
      /column 'n' \(Int32\) has a null at row 1; .*nullValue/,
    );
    const [chunk] = await readChunks(new ArrowSource(table, { nullValue: -1, validity: ['n'] }));
    expect(Array.from((chunk!.columns.n as NDArray).data)).toEqual([1, -1, 3]);
    expect(Array.from((chunk!.columns.n_valid as NDArray).data)).toEqual([1, 0, 1]);
  });

  it('rejects int64 values outside int32 with the column and row', async () => {
    const table = new Table({ big: vectorFromArray([1n, 2n ** 40n], new Int64()) });
    await expect(readChunks(new ArrowSource(table))).rejects.toThrow(
      /column 'big' row 1 holds 1099511627776, which does not fit int32/,
    );
  });

  it('reads IPC files (seeking on resume) and IPC streams from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsflow-arrow-'));
    const table = splitTable(30, 3);
    for (const format of ['file', 'stream'] as const) {
      const path = join(dir, `t.${format}`);
      writeFileSync(path, tableToIPC(table, format));
      const source = new ArrowSource(path);
      expect(columnValues(await readChunks(source), 'y')).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
      const resumed = await readRows(source, { batch: 2, row: 5 });
      expect(resumed.map((row) => row.x)).toEqual([25, 26, 27, 28, 29]);
    }
  });

  it('reads IPC bytes held in memory', async () => {
    const bytes = tableToIPC(splitTable(12, 3), 'stream');
    const source = new ArrowSource(bytes);
    expect(source.label).toBe(`ArrowSource(${bytes.byteLength} IPC bytes)`);
    expect((await readRows(source, { batch: 1, row: 1 })).map((row) => row.x)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    await expect(readRows(new ArrowSource(new Uint8Array([1, 2, 3])))).rejects.toThrow(
      /the bytes are not a valid Arrow IPC file or stream/,
    );
  });

  it('reports truncated and non-Arrow files as DataLossError naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsflow-arrow-'));
    const good = join(dir, 'good.arrow');
    writeFileSync(good, tableToIPC(splitTable(100, 2), 'file'));
    const truncated = join(dir, 'truncated.arrow');
    writeFileSync(truncated, readFileSync(good).subarray(0, 200));
    const garbage = join(dir, 'garbage.arrow');
    writeFileSync(garbage, Buffer.from('this is not arrow at all, just text'));
    for (const path of [truncated, garbage]) {
      const error = await readChunks(new ArrowSource(path)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataLossError);
      expect((error as Error).message).toMatch(
        new RegExp(`Arrow IPC file '.*${path.split('/').pop()}' is truncated or corrupt`),
      );
    }
    await expect(readChunks(new ArrowSource(join(dir, 'absent.arrow')))).rejects.toThrow(/could not be opened/);
  });

  it('reads a one-shot generator once and says so on a second pass', async () => {
    const table = splitTable(6, 2);
    const source = new ArrowSource(
      (function* () {
        yield* table.batches;
      })(),
    );
    expect((await readRows(source)).length).toBe(6);
    await expect(readRows(source)).rejects.toThrow(/already consumed/);
    const factory = new ArrowSource(() => table.batches.values());
    expect((await readRows(factory)).length).toBe(6);
    expect((await readRows(factory)).length).toBe(6);
  });

  it('refuses inputs that are not Arrow data, naming what it got', async () => {
    expect(() => new ArrowSource({ x: [1, 2] } as never)).toThrow(
      /fromArrow: expected a Table, a RecordBatch, .* or a file path; got an object/,
    );
    expect(() => new ArrowSource(5 as never)).toThrow(/fromArrow: expected a Table, .*; got a number \(5\)/);
    expect(() => new ArrowSource(mixedTable(), { columns: 'name' as never })).toThrow(
      /fromArrow: columns must be a non-empty array of column names, got "name"/,
    );
    await expect(readRows(new ArrowSource([{ x: 1 }] as never))).rejects.toThrow(
      /ArrowSource\(1 record batches\): element 0 is not an apache-arrow RecordBatch; got an object/,
    );
  });
});
