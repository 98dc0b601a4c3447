import type { FileHandle } from 'node:fs/promises';
import { UnimplementedError } from '@tsflow/core';
import { DataLossError, describeCause } from '../io_errors.js';
import { ThriftReader, type ThriftStruct } from './thrift_compact.js';
import { field, listField } from './thrift_fields.js';

/**
 * The Parquet footer (FileMetaData) of a file on disk: row groups, column chunk ranges and
 * codecs, top-level columns (field ids below are those of parquet-format's parquet.thrift).
 * @internal
 */

export const MAGIC = 'PAR1';
const CODEC_NAMES = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];

export interface ColumnChunkInfo {
  /** Dotted path of the leaf, e.g. `tags.list.element`. */
  readonly path: string;
  readonly start: number;
  /** Bytes on disk, as the footer states them. */
  readonly length: number;
  /**
   * Bytes to read: `length`, plus up to 100 bytes for writers known to leave the dictionary
   * page header out of it (parquet-mr before 1.2.9, PARQUET-816); the page walk finds the end.
   */
  readonly readLength: number;
  readonly codec: string;
  /** Values (including nulls) the chunk's data pages hold. */
  readonly numValues: number;
  /** Decompressed size as the footer states it (checked against the limits before reading). */
  readonly uncompressedLength: number;
  /** Encrypted with Parquet modular encryption (a plaintext footer names such columns). */
  readonly encrypted: boolean;
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
  /** Bytes of the encoded FileMetaData (what the footer cache weighs). */
  readonly footerLength: number;
  readonly numRows: number;
  readonly rowGroups: readonly RowGroupInfo[];
  readonly columns: readonly TopLevelColumn[];
  /** The decoded FileMetaData, rewritten per row group. */
  readonly metadata: ThriftStruct;
  /** Parquet modular encryption with a plaintext footer (FileMetaData.encryption_algorithm). */
  readonly encrypted: boolean;
}

export async function readParquetFooter(handle: FileHandle, path: string): Promise<ParquetFooter> {
  const { size } = await handle.stat();
  if (size < 12)
    throw new DataLossError(
      `Parquet file '${path}' is truncated: ${size} bytes, fewer than the 12 of an empty Parquet file`,
    );
  const head = await readAt(handle, path, 0, 4);
  const tail = await readAt(handle, path, size - 8, 8);
  const tailMagic = Buffer.from(tail.subarray(4)).toString('latin1');
  if (tailMagic === 'PARE')
    throw new UnimplementedError(`Parquet file '${path}' is encrypted (PARE), which tsflow does not read`);
  const headMagic = Buffer.from(head).toString('latin1');
  if (headMagic !== MAGIC)
    throw new DataLossError(`'${path}' is not a Parquet file: it starts with ${JSON.stringify(headMagic)}, not "PAR1"`);
  if (tailMagic !== MAGIC)
    throw new DataLossError(`Parquet file '${path}' is truncated or corrupt: it does not end with "PAR1" (no footer)`);
  const footerLength = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
  if (footerLength + 12 > size) {
    throw new DataLossError(
      `Parquet file '${path}' is truncated or corrupt: its footer claims ${footerLength} bytes but the file has ${size}`,
    );
  }
  const footerBytes = await readAt(handle, path, size - 8 - footerLength, footerLength);
  let metadata: ThriftStruct;
  try {
    metadata = new ThriftReader(footerBytes).readStruct();
    return describeFooter(path, size, footerLength, metadata);
  } catch (error) {
    if (error instanceof DataLossError) throw error;
    throw new DataLossError(`Parquet file '${path}' has a corrupt footer: ${describeCause(error)}`);
  }
}

function describeFooter(path: string, fileSize: number, footerLength: number, metadata: ThriftStruct): ParquetFooter {
  const schema = listField(metadata, 2).items as ThriftStruct[];
  const columns = topLevelColumns(schema);
  const createdBy = metadata.has(6) ? Buffer.from(metadata.get(6)!.value as Uint8Array).toString('utf8') : '';
  const padding = omitsDictionaryHeader(createdBy) ? DICTIONARY_HEADER_PADDING : 0;
  const rowGroups = (listField(metadata, 4).items as ThriftStruct[]).map((rowGroup, index) => {
    const numRows = Number(field(rowGroup, 3) as bigint);
    const chunks = (listField(rowGroup, 1).items as ThriftStruct[]).map((chunk) =>
      chunkInfo(chunk, { path, fileSize, rowGroup: index, numRows, padding }),
    );
    return { numRows, chunks };
  });
  return {
    path,
    fileSize,
    footerLength,
    numRows: Number(field(metadata, 3) as bigint),
    rowGroups,
    columns,
    metadata,
    encrypted: metadata.has(8),
  };
}

/** Arrow C++'s allowance for the dictionary page header that old parquet-mr left out of chunk sizes. */
const DICTIONARY_HEADER_PADDING = 100;

/** parquet-mr before 1.2.9 (and versionless parquet-mr) left dictionary page headers out of chunk sizes. */
function omitsDictionaryHeader(createdBy: string): boolean {
  const match = /^parquet-mr(?: version (\d+)\.(\d+)\.(\d+))?/.exec(createdBy);
  if (match === null) return false;
  if (match[1] === undefined) return true;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return major < 1 || (major === 1 && (minor < 2 || (minor === 2 && patch < 9)));
}

interface ChunkContext {
  readonly path: string;
  readonly fileSize: number;
  readonly rowGroup: number;
  readonly numRows: number;
  readonly padding: number;
}

function chunkInfo(chunk: ThriftStruct, at: ChunkContext): ColumnChunkInfo {
  const { path, fileSize, rowGroup } = at;
  if (chunk.has(1))
    throw new UnimplementedError(
      `Parquet file '${path}' keeps column data in other files (file_path), which tsflow does not read`,
    );
  const meta = field(chunk, 3) as ThriftStruct;
  const leafPath = (listField(meta, 3).items as Uint8Array[])
    .map((part) => Buffer.from(part).toString('utf8'))
    .join('.');
  const dataPage = Number(field(meta, 9) as bigint);
  const dictionaryPage = meta.has(11) ? Number(meta.get(11)!.value as bigint) : undefined;
  const start =
    dictionaryPage !== undefined && dictionaryPage > 0 && dictionaryPage < dataPage ? dictionaryPage : dataPage;
  const length = Number(field(meta, 7) as bigint);
  // A row group without rows is never read; some writers leave its chunk offsets at 0.
  if (at.numRows > 0 && (start < 4 || length < 0 || start + length > fileSize)) {
    throw new DataLossError(
      `Parquet file '${path}' is truncated or corrupt: column '${leafPath}' of row group ${rowGroup} spans bytes ${start}..${start + length} of a ${fileSize}-byte file`,
    );
  }
  const codecId = field(meta, 4) as number;
  return {
    path: leafPath,
    start,
    length,
    readLength: Math.max(length, Math.min(length + at.padding, fileSize - 8 - start)),
    codec: CODEC_NAMES[codecId] ?? `codec #${codecId}`,
    numValues: Number(field(meta, 5) as bigint),
    uncompressedLength: Number(field(meta, 6) as bigint),
    encrypted: chunk.has(8),
  };
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

export function skipSubtree(schema: readonly ThriftStruct[], index: number): [next: number, leaves: number] {
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

async function readAt(handle: FileHandle, path: string, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length)
    throw new DataLossError(
      `Parquet file '${path}' is truncated: read ${bytesRead} of ${length} bytes at byte ${position}`,
    );
  return buffer;
}
