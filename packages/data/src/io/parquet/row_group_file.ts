import type { FileHandle } from 'node:fs/promises';
import { DataLossError } from '../io_errors.js';
import { ARROW_SCHEMA_KEY, projectArrowSchemaHint } from './arrow_schema_hint.js';
import { type ColumnChunkInfo, MAGIC, type ParquetFooter, leavesOf, skipSubtree } from './footer.js';
import { CompactType, type ThriftList, type ThriftStruct, ThriftWriter } from './thrift_compact.js';
import { cloneStruct, cloneStructExcept, field, listField } from './thrift_fields.js';

/**
 * "Row group files": valid Parquet files in memory holding one row group's selected column
 * chunks, read straight from disk, with a footer rewritten to match. They let the WASM reader
 * decode one row group at a time without the rest of the file.
 * @internal
 */

/**
 * The footer of a file that keeps only the named top-level columns (schema, column orders and
 * the Arrow schema hint trimmed to match); row groups are filled in by `rowGroupFile`.
 */
export function projectFooter(footer: ParquetFooter, names: readonly string[] | undefined): ProjectedFooter {
  const leaves = leavesOf(footer, names);
  if (names === undefined) return { footer, leaves, metadata: footer.metadata };
  // The row groups are shared: rowGroupFile copies the one it rewrites.
  const metadata = cloneStructExcept(footer.metadata, 4);
  const schema = listField(metadata, 2);
  const root = schema.items[0] as ThriftStruct;
  const kept: ThriftStruct[] = [root];
  let index = 1;
  for (const column of footer.columns) {
    const [next] = skipSubtree(schema.items as ThriftStruct[], index);
    if (names.includes(column.name)) kept.push(...(schema.items.slice(index, next) as ThriftStruct[]));
    index = next;
  }
  schema.items = kept;
  const keptColumns = footer.columns.filter((column) => names.includes(column.name));
  root.set(5, { type: CompactType.I32, value: keptColumns.length });
  const orders = metadata.get(7);
  if (orders)
    (orders.value as ThriftList).items = (orders.value as ThriftList).items.filter((_, leaf) => leaves.has(leaf));
  const keyValues = metadata.get(5);
  if (keyValues) {
    for (const entry of (keyValues.value as ThriftList).items as ThriftStruct[]) {
      const key = Buffer.from(field(entry, 1) as Uint8Array).toString('utf8');
      const value = entry.get(2);
      if (key !== ARROW_SCHEMA_KEY || value === undefined) continue;
      const hint = Buffer.from(value.value as Uint8Array).toString('utf8');
      value.value = Buffer.from(
        projectArrowSchemaHint(
          hint,
          keptColumns.map((column) => column.name),
        ),
        'utf8',
      );
    }
  }
  return { footer, leaves, metadata };
}

export interface ProjectedFooter {
  readonly footer: ParquetFooter;
  /** Leaf column indices (in the original file) that are kept. */
  readonly leaves: Set<number>;
  readonly metadata: ThriftStruct;
}

/**
 * Checks one column chunk as read (`bytes`) before it is decoded and returns its true length
 * (see `checkChunkPages`).
 */
export type ChunkInspector = (bytes: Uint8Array, chunk: ColumnChunkInfo) => number;

/** Gives a fresh (or reused, not shared) byte array of exactly `size` bytes. */
export type Allocate = (size: number) => Uint8Array;

const allocateFresh: Allocate = (size) => new Uint8Array(size);

/**
 * A standalone Parquet file holding row group `index` of the projected columns, read from
 * disk; `inspect` sees every chunk's bytes first. Every byte of the array `allocate` gives is
 * written, so it may hold old contents.
 */
export async function rowGroupFile(
  handle: FileHandle,
  projected: ProjectedFooter,
  index: number,
  inspect?: ChunkInspector,
  allocate: Allocate = allocateFresh,
): Promise<Uint8Array> {
  const { footer, leaves } = projected;
  // Only the fields rewritten here are copied (not every row group: files have hundreds).
  const metadata: ThriftStruct = new Map(projected.metadata);
  const rowGroup = cloneStruct(listField(metadata, 4).items[index] as ThriftStruct);
  metadata.set(4, {
    type: CompactType.List,
    value: { kind: 'list', elementType: CompactType.Struct, items: [rowGroup] },
  });
  metadata.set(3, { type: CompactType.I64, value: field(rowGroup, 3) as bigint });
  const chunksField = listField(rowGroup, 1);
  const info = footer.rowGroups[index]!.chunks;
  const placements: { info: ColumnChunkInfo; chunk: ThriftStruct; target: number }[] = [];
  let cursor = 4;
  (chunksField.items as ThriftStruct[]).forEach((chunk, leaf) => {
    if (!leaves.has(leaf)) return;
    placements.push({ info: info[leaf]!, chunk, target: cursor });
    relocateChunk(chunk, cursor - info[leaf]!.start);
    cursor += info[leaf]!.readLength;
  });
  chunksField.items = placements.map(({ chunk }) => chunk);
  rowGroup.set(5, { type: CompactType.I64, value: 4n });
  rowGroup.delete(7);
  // Chunks are read straight into the file; only a corrected chunk length (below) rebuilds it.
  const file = fileAround(metadata, cursor, allocate);
  let corrected = false;
  // Chunks next to each other on disk (all columns of a row group, usually) are read at once.
  for (let first = 0; first < placements.length; ) {
    let last = first;
    while (last + 1 < placements.length && adjacent(placements[last]!.info, placements[last + 1]!.info)) last++;
    const from = placements[first]!;
    const to = placements[last]!;
    await readInto(
      handle,
      file,
      from.target,
      to.target + to.info.readLength - from.target,
      from.info.start,
      footer.path,
    );
    for (const { info: chunkInfo, chunk, target } of placements.slice(first, last + 1)) {
      const length = inspect?.(file.subarray(target, target + chunkInfo.readLength), chunkInfo) ?? chunkInfo.length;
      // A padded read (an old writer's short chunk size) states the length the page walk found.
      if (length !== chunkInfo.length) {
        (field(chunk, 3) as ThriftStruct).set(7, { type: CompactType.I64, value: BigInt(length) });
        corrected = true;
      }
    }
    first = last + 1;
  }
  if (!corrected) return file;
  const rebuilt = fileAround(metadata, cursor, allocateFresh);
  rebuilt.set(file.subarray(4, cursor), 4);
  return rebuilt;
}

/** Whether chunk `next` starts on disk where the read of `previous` ends. */
function adjacent(previous: ColumnChunkInfo, next: ColumnChunkInfo): boolean {
  return previous.start + previous.readLength === next.start;
}

/** A Parquet file with the schema and key-value metadata but no row groups (to read the schema). */
export function schemaOnlyFile(footer: ParquetFooter): Uint8Array {
  const metadata: ThriftStruct = new Map(footer.metadata);
  metadata.set(4, { type: CompactType.List, value: { kind: 'list', elementType: CompactType.Struct, items: [] } });
  metadata.set(3, { type: CompactType.I64, value: 0n });
  return fileAround(metadata, 4, allocateFresh);
}

const MAGIC_BYTES = Buffer.from(MAGIC, 'latin1');

/**
 * A Parquet file's bytes: `PAR1`, room for column chunks up to byte `bodyEnd` (the caller
 * fills it), then the footer `metadata`, its length and `PAR1`.
 */
function fileAround(metadata: ThriftStruct, bodyEnd: number, allocate: Allocate): Uint8Array {
  const writer = new ThriftWriter();
  writer.writeStruct(metadata);
  const footerBytes = writer.bytes();
  const file = allocate(bodyEnd + footerBytes.length + 8);
  file.set(MAGIC_BYTES, 0);
  file.set(footerBytes, bodyEnd);
  new DataView(file.buffer, file.byteOffset).setUint32(bodyEnd + footerBytes.length, footerBytes.length, true);
  file.set(MAGIC_BYTES, bodyEnd + footerBytes.length + 4);
  return file;
}

/** Shifts a column chunk's page offsets by `delta` and drops its out-of-chunk indexes. */
function relocateChunk(chunk: ThriftStruct, delta: number): void {
  const shift = (struct: ThriftStruct, id: number) => {
    const entry = struct.get(id);
    if (entry) entry.value = (entry.value as bigint) + BigInt(delta);
  };
  shift(chunk, 2);
  for (const id of [4, 5, 6, 7]) chunk.delete(id); // offset/column indexes live outside the chunk
  const meta = field(chunk, 3) as ThriftStruct;
  shift(meta, 9);
  shift(meta, 10);
  // Some writers store 0 for "no dictionary page" (offset 0 is the magic, never a page).
  const dictionary = meta.get(11);
  if (dictionary && (dictionary.value as bigint) > 0n) shift(meta, 11);
  else meta.delete(11);
  meta.delete(14); // bloom filter
  meta.delete(15);
}

async function readInto(
  handle: FileHandle,
  target: Uint8Array,
  offset: number,
  length: number,
  position: number,
  path: string,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(target, offset + done, length - done, position + done);
    if (bytesRead === 0)
      throw new DataLossError(
        `Parquet file '${path}' is truncated: it ends inside a column chunk at byte ${position + done}`,
      );
    done += bytesRead;
  }
}
