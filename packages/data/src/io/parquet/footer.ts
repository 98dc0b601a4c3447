import type { FileHandle } from 'node:fs/promises';
import { UnimplementedError } from '@tsflow/core';
import { DataLossError, describeCause } from '../io_errors.js';
import { ARROW_SCHEMA_KEY, projectArrowSchemaHint } from './arrow_schema_hint.js';
import { CompactType, type ThriftList, ThriftReader, type ThriftStruct, ThriftWriter } from './thrift_compact.js';

/**
 * The Parquet footer (FileMetaData) of a file on disk, and "row group files": a valid Parquet
 * file in memory holding one row group's selected column chunks, read straight from disk.
 * They let the WASM reader decode one row group at a time without the rest of the file
 * (field ids below are those of parquet-format's parquet.thrift).
 * @internal
 */

const MAGIC = 'PAR1';
const CODEC_NAMES = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];

export interface ColumnChunkInfo {
  /** Dotted path of the leaf, e.g. `tags.list.element`. */
  readonly path: string;
  readonly start: number;
  readonly length: number;
  readonly codec: string;
}

export interface RowGroupInfo {
  readonly numRows: number;
  readonly chunks: readonly ColumnChunkInfo[];
}

export interface TopLevelColumn {
  readonly name: string;
  readonly firstLeaf: number;
  readonly leafCount: number;
}

export interface ParquetFooter {
  readonly path: string;
  readonly fileSize: number;
  readonly numRows: number;
  readonly rowGroups: readonly RowGroupInfo[];
  readonly columns: readonly TopLevelColumn[];
  /** The decoded FileMetaData, rewritten per row group. */
  readonly metadata: ThriftStruct;
}

export async function readParquetFooter(handle: FileHandle, path: string): Promise<ParquetFooter> {
  const { size } = await handle.stat();
  if (size < 12) throw new DataLossError(`Parquet file '${path}' is truncated: ${size} bytes, fewer than the 12 of an empty Parquet file`);
  const head = await readAt(handle, 0, 4);
  const tail = await readAt(handle, size - 8, 8);
  const tailMagic = Buffer.from(tail.subarray(4)).toString('latin1');
  if (tailMagic === 'PARE') throw new UnimplementedError(`Parquet file '${path}' is encrypted (PARE), which tsflow does not read`);
  const headMagic = Buffer.from(head).toString('latin1');
  if (headMagic !== MAGIC) throw new DataLossError(`'${path}' is not a Parquet file: it starts with ${JSON.stringify(headMagic)}, not "PAR1"`);
  if (tailMagic !== MAGIC) throw new DataLossError(`Parquet file '${path}' is truncated or corrupt: it does not end with "PAR1" (no footer)`);
  const footerLength = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
  if (footerLength + 12 > size) {
    throw new DataLossError(`Parquet file '${path}' is truncated or corrupt: its footer claims ${footerLength} bytes but the file has ${size}`);
  }
  const footerBytes = await readAt(handle, size - 8 - footerLength, footerLength);
  let metadata: ThriftStruct;
  try {
    metadata = new ThriftReader(footerBytes).readStruct();
    return describeFooter(path, size, metadata);
  } catch (error) {
    if (error instanceof DataLossError) throw error;
    throw new DataLossError(`Parquet file '${path}' has a corrupt footer: ${describeCause(error)}`);
  }
}

function describeFooter(path: string, fileSize: number, metadata: ThriftStruct): ParquetFooter {
  const schema = listField(metadata, 2).items as ThriftStruct[];
  const columns = topLevelColumns(schema);
  const rowGroups = (listField(metadata, 4).items as ThriftStruct[]).map((rowGroup, index) => {
    const chunks = (listField(rowGroup, 1).items as ThriftStruct[]).map((chunk) => chunkInfo(chunk, path, fileSize, index));
    return { numRows: Number(field(rowGroup, 3) as bigint), chunks };
  });
  return { path, fileSize, numRows: Number(field(metadata, 3) as bigint), rowGroups, columns, metadata };
}

function chunkInfo(chunk: ThriftStruct, path: string, fileSize: number, rowGroup: number): ColumnChunkInfo {
  if (chunk.has(1)) throw new UnimplementedError(`Parquet file '${path}' keeps column data in other files (file_path), which tsflow does not read`);
  const meta = field(chunk, 3) as ThriftStruct;
  const leafPath = (listField(meta, 3).items as Uint8Array[]).map((part) => Buffer.from(part).toString('utf8')).join('.');
  const dataPage = Number(field(meta, 9) as bigint);
  const dictionaryPage = meta.has(11) ? Number(meta.get(11)!.value as bigint) : undefined;
  const start = dictionaryPage !== undefined && dictionaryPage > 0 && dictionaryPage < dataPage ? dictionaryPage : dataPage;
  const length = Number(field(meta, 7) as bigint);
  if (start < 4 || start + length > fileSize) {
    throw new DataLossError(
      `Parquet file '${path}' is truncated or corrupt: column '${leafPath}' of row group ${rowGroup} spans bytes ${start}..${start + length} of a ${fileSize}-byte file`,
    );
  }
  const codecId = field(meta, 4) as number;
  return { path: leafPath, start, length, codec: CODEC_NAMES[codecId] ?? `codec #${codecId}` };
}

/** Top-level fields of the flattened schema (element 0 is the root) with their leaf ranges. */
function topLevelColumns(schema: readonly ThriftStruct[]): TopLevelColumn[] {
  const columns: TopLevelColumn[] = [];
  let index = 1;
  let leaf = 0;
  const rootChildren = (schema[0]?.get(5)?.value as number | undefined) ?? 0;
  for (let c = 0; c < rootChildren; c++) {
    const name = Buffer.from(field(schema[index]!, 4) as Uint8Array).toString('utf8');
    const [next, leaves] = skipSubtree(schema, index);
    columns.push({ name, firstLeaf: leaf, leafCount: leaves });
    index = next;
    leaf += leaves;
  }
  return columns;
}

function skipSubtree(schema: readonly ThriftStruct[], index: number): [next: number, leaves: number] {
  const element = schema[index];
  if (element === undefined) throw new Error(`schema ends inside element ${index}`);
  const children = (element.get(5)?.value as number | undefined) ?? 0;
  if (children === 0) return [index + 1, 1];
  let next = index + 1;
  let leaves = 0;
  for (let c = 0; c < children; c++) {
    const [after, count] = skipSubtree(schema, next);
    next = after;
    leaves += count;
  }
  return [next, leaves];
}

/** Leaf indices of the named top-level columns (all when `names` is undefined). */
export function leavesOf(footer: ParquetFooter, names: readonly string[] | undefined): Set<number> {
  const wanted = new Set<number>();
  for (const column of footer.columns) {
    if (names !== undefined && !names.includes(column.name)) continue;
    for (let i = 0; i < column.leafCount; i++) wanted.add(column.firstLeaf + i);
  }
  return wanted;
}

/**
 * The footer of a file that keeps only the named top-level columns (schema, column orders and
 * the Arrow schema hint trimmed to match); row groups are filled in by `rowGroupFile`.
 */
export function projectFooter(footer: ParquetFooter, names: readonly string[] | undefined): ProjectedFooter {
  const leaves = leavesOf(footer, names);
  if (names === undefined) return { footer, leaves, metadata: footer.metadata };
  const metadata = cloneStruct(footer.metadata);
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
  if (orders) (orders.value as ThriftList).items = (orders.value as ThriftList).items.filter((_, leaf) => leaves.has(leaf));
  const keyValues = metadata.get(5);
  if (keyValues) {
    for (const entry of (keyValues.value as ThriftList).items as ThriftStruct[]) {
      const key = Buffer.from(field(entry, 1) as Uint8Array).toString('utf8');
      const value = entry.get(2);
      if (key !== ARROW_SCHEMA_KEY || value === undefined) continue;
      const hint = Buffer.from(value.value as Uint8Array).toString('utf8');
      value.value = Buffer.from(projectArrowSchemaHint(hint, keptColumns.map((column) => column.name)), 'utf8');
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

/** A standalone Parquet file holding row group `index` of the projected columns, read from disk. */
export async function rowGroupFile(handle: FileHandle, projected: ProjectedFooter, index: number): Promise<Uint8Array> {
  const { footer, leaves } = projected;
  const metadata = cloneStruct(projected.metadata);
  const rowGroupsField = listField(metadata, 4);
  const rowGroup = rowGroupsField.items[index] as ThriftStruct;
  rowGroupsField.items = [rowGroup];
  metadata.set(3, { type: CompactType.I64, value: field(rowGroup, 3) as bigint });
  const chunksField = listField(rowGroup, 1);
  const info = footer.rowGroups[index]!.chunks;
  const placements: { source: number; length: number; target: number }[] = [];
  const keptChunks: ThriftStruct[] = [];
  let cursor = 4;
  (chunksField.items as ThriftStruct[]).forEach((chunk, leaf) => {
    if (!leaves.has(leaf)) return;
    const { start, length } = info[leaf]!;
    placements.push({ source: start, length, target: cursor });
    relocateChunk(chunk, cursor - start);
    keptChunks.push(chunk);
    cursor += length;
  });
  chunksField.items = keptChunks;
  rowGroup.set(5, { type: CompactType.I64, value: 4n });
  rowGroup.delete(7);
  const writer = new ThriftWriter();
  writer.writeStruct(metadata);
  const footerBytes = writer.bytes();
  const file = new Uint8Array(cursor + footerBytes.length + 8);
  file.set(Buffer.from(MAGIC, 'latin1'), 0);
  for (const { source, length, target } of placements) await readInto(handle, file, target, length, source, footer.path);
  file.set(footerBytes, cursor);
  new DataView(file.buffer).setUint32(cursor + footerBytes.length, footerBytes.length, true);
  file.set(Buffer.from(MAGIC, 'latin1'), cursor + footerBytes.length + 4);
  return file;
}

/** A Parquet file with the schema and key-value metadata but no row groups (to read the schema). */
export function schemaOnlyFile(footer: ParquetFooter): Uint8Array {
  const metadata = cloneStruct(footer.metadata);
  listField(metadata, 4).items = [];
  metadata.set(3, { type: CompactType.I64, value: 0n });
  const writer = new ThriftWriter();
  writer.writeStruct(metadata);
  const footerBytes = writer.bytes();
  const file = new Uint8Array(4 + footerBytes.length + 8);
  file.set(Buffer.from(MAGIC, 'latin1'), 0);
  file.set(footerBytes, 4);
  new DataView(file.buffer).setUint32(4 + footerBytes.length, footerBytes.length, true);
  file.set(Buffer.from(MAGIC, 'latin1'), 4 + footerBytes.length + 4);
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
  const dictionary = meta.get(11);
  if (dictionary && (dictionary.value as bigint) > 0n) shift(meta, 11);
  meta.delete(14); // bloom filter
  meta.delete(15);
}

function field(struct: ThriftStruct, id: number): unknown {
  const entry = struct.get(id);
  if (entry === undefined) throw new Error(`required thrift field ${id} is missing`);
  return entry.value;
}

function listField(struct: ThriftStruct, id: number): ThriftList {
  return field(struct, id) as ThriftList;
}

/** Deep copy of the parts we rewrite (structs and lists); byte strings are shared. */
function cloneStruct(struct: ThriftStruct): ThriftStruct {
  const copy: ThriftStruct = new Map();
  for (const [id, { type, value }] of struct) copy.set(id, { type, value: cloneValue(value) });
  return copy;
}

function cloneValue(value: unknown): never {
  if (value instanceof Map) return cloneStruct(value as ThriftStruct) as never;
  if (typeof value === 'object' && value !== null && (value as ThriftList).kind === 'list') {
    const list = value as ThriftList;
    return { kind: 'list', elementType: list.elementType, items: list.items.map(cloneValue) } as never;
  }
  return value as never;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new DataLossError(`short read: ${bytesRead} of ${length} bytes at ${position}`);
  return buffer;
}

async function readInto(handle: FileHandle, target: Uint8Array, offset: number, length: number, position: number, path: string): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(target, offset + done, length - done, position + done);
    if (bytesRead === 0) throw new DataLossError(`Parquet file '${path}' is truncated: it ends inside a column chunk at byte ${position + done}`);
    done += bytesRead;
  }
}
