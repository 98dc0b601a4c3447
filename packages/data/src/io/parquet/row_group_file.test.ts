import { mkdtempSync, writeFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetFooter } from './footer.js';
import { projectFooter, rowGroupFile } from './row_group_file.js';

let path: string;
let handle: FileHandle;

/** A handle whose positioned reads are recorded as [position, length]. */
function recordingHandle(reads: [number, number][]): FileHandle {
  return new Proxy(handle, {
    get(target, property) {
      if (property !== 'read') return Reflect.get(target, property, target);
      return (buffer: Uint8Array, offset: number, length: number, position: number) => {
        reads.push([position, length]);
        return target.read(buffer, offset, length, position);
      };
    },
  });
}

beforeAll(async () => {
  path = join(mkdtempSync(join(tmpdir(), 'tsflow-row-group-file-')), 'three.parquet');
  const table = tableFromArrays({
    a: Int32Array.from({ length: 3000 }, (_, i) => i),
    b: Float64Array.from({ length: 3000 }, (_, i) => i / 2),
    c: Int32Array.from({ length: 3000 }, (_, i) => -i),
  });
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.SNAPPY)
    .setMaxRowGroupSize(1000)
    .setDictionaryEnabled(false)
    .build();
  writeFileSync(
    path,
    parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties),
  );
  handle = await open(path, 'r');
});

afterAll(async () => {
  await handle.close();
});

describe('rowGroupFile: one row group of the selected columns as a standalone file', () => {
  it('reads column chunks that lie next to each other on disk in one read', async () => {
    const footer = await readParquetFooter(handle, path);
    const chunks = footer.rowGroups[1]!.chunks;
    const reads: [number, number][] = [];
    const file = await rowGroupFile(recordingHandle(reads), projectFooter(footer, undefined), 1);
    expect(reads).toEqual([[chunks[0]!.start, chunks[2]!.start + chunks[2]!.readLength - chunks[0]!.start]]);
    const decoded = tableFromIPC(parquetWasm.readParquet(file).intoIPCStream());
    expect(Array.from(decoded.getChild('c')!.toArray() as Int32Array).slice(0, 3)).toEqual([-1000, -1001, -1002]);
  });

  it('reads the chunks of a projection that skips a column separately, each where it lies', async () => {
    const footer = await readParquetFooter(handle, path);
    const chunks = footer.rowGroups[2]!.chunks;
    const reads: [number, number][] = [];
    const file = await rowGroupFile(recordingHandle(reads), projectFooter(footer, ['a', 'c']), 2);
    expect(reads).toEqual([
      [chunks[0]!.start, chunks[0]!.readLength],
      [chunks[2]!.start, chunks[2]!.readLength],
    ]);
    const decoded = tableFromIPC(parquetWasm.readParquet(file).intoIPCStream());
    expect(decoded.schema.fields.map((field) => field.name)).toEqual(['a', 'c']);
    expect(Array.from(decoded.getChild('a')!.toArray() as Int32Array).slice(-2)).toEqual([2998, 2999]);
    expect(Array.from(decoded.getChild('c')!.toArray() as Int32Array).slice(-2)).toEqual([-2998, -2999]);
  });
});
