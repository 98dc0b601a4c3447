import { InvalidArgumentError, ResourceExhaustedError } from '@tsflow/core';
import { DataLossError, describeCause } from '../io_errors.js';
import { crc32 } from './crc32.js';
import type { ColumnChunkInfo } from './footer.js';
import { ThriftReader, type ThriftStruct } from './thrift_compact.js';

/**
 * Checks of a column chunk's pages before its bytes reach the decoder: page CRCs (when the
 * writer stored them), page and chunk sizes against memory limits (from the headers, so a
 * 4 KB file that inflates to gigabytes is refused before anything is decompressed), and page
 * bounds. Field ids are those of parquet-format's PageHeader.
 * @internal
 */

/** Safety limits of Parquet reading; see README "Safety". */
export interface ParquetSafetyOptions {
  /** Verify page CRC-32 checksums where the file has them (default true). */
  verifyChecksums?: boolean;
  /** Largest decompressed page accepted, in bytes (default 256 MiB). */
  maxPageBytes?: number;
  /** Largest decompressed column chunk (one column of one row group) accepted, in bytes (default 1 GiB). */
  maxColumnChunkBytes?: number;
}

export const DEFAULT_MAX_PAGE_BYTES = 256 * 2 ** 20;
export const DEFAULT_MAX_COLUMN_CHUNK_BYTES = 2 ** 30;

export interface ResolvedSafety {
  readonly verifyChecksums: boolean;
  readonly maxPageBytes: number;
  readonly maxColumnChunkBytes: number;
}

export function resolveSafety(options: ParquetSafetyOptions): ResolvedSafety {
  return {
    verifyChecksums: options.verifyChecksums ?? true,
    maxPageBytes: options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES,
    maxColumnChunkBytes: options.maxColumnChunkBytes ?? DEFAULT_MAX_COLUMN_CHUNK_BYTES,
  };
}

const PAGE_TYPES = ['data page', 'index page', 'dictionary page', 'data page (v2)'];

/** Where a chunk is, for messages: `Parquet file 'a.parquet' row group 0, column 'x'`. */
function chunkName(path: string, rowGroup: number, chunk: ColumnChunkInfo): string {
  return `Parquet file '${path}' row group ${rowGroup}, column '${chunk.path}'`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

function tooLarge(where: string, what: string, bytes: number, option: string, limit: number): ResourceExhaustedError {
  return new ResourceExhaustedError(
    `${where}: ${what} decompresses to ${formatBytes(bytes)} (${bytes} bytes), above the limit ${option} = ${limit} bytes; ` +
      `nothing was decoded. Raise it with fromParquet(path, { ${option} }) if the machine has the memory`,
  );
}

/** Refuses a chunk whose footer-stated decompressed size is above the limit, before any read. */
export function checkChunkSize(path: string, rowGroup: number, chunk: ColumnChunkInfo, safety: ResolvedSafety): void {
  if (chunk.uncompressedLength > safety.maxColumnChunkBytes) {
    throw tooLarge(
      chunkName(path, rowGroup, chunk),
      'the column chunk',
      chunk.uncompressedLength,
      'maxColumnChunkBytes',
      safety.maxColumnChunkBytes,
    );
  }
}

/**
 * Walks the pages of one column chunk (`bytes` = the chunk as read, `readLength` long) and
 * returns its true length in bytes: the footer's, or less for a padded read (see
 * `ColumnChunkInfo.readLength`), where the walk stops once the chunk's values are all seen.
 */
export function checkChunkPages(
  bytes: Uint8Array,
  path: string,
  rowGroup: number,
  chunk: ColumnChunkInfo,
  safety: ResolvedSafety,
): number {
  const padded = chunk.readLength > chunk.length;
  let offset = 0;
  let values = 0;
  let decoded = 0;
  for (let page = 0; offset < chunk.length || (padded && values < chunk.numValues && offset < bytes.length); page++) {
    const where = `${chunkName(path, rowGroup, chunk)}, page ${page}`;
    let header: ThriftStruct;
    const reader = new ThriftReader(bytes.subarray(offset));
    try {
      header = reader.readStruct();
    } catch (error) {
      throw new DataLossError(
        `${where}: the page header at byte ${chunk.start + offset} is corrupt: ${describeCause(error)}`,
      );
    }
    const type = header.get(1)?.value;
    const uncompressed = header.get(2)?.value;
    const compressed = header.get(3)?.value;
    if (
      typeof type !== 'number' ||
      typeof uncompressed !== 'number' ||
      typeof compressed !== 'number' ||
      uncompressed < 0 ||
      compressed < 0
    ) {
      throw new DataLossError(
        `${where}: the page header at byte ${chunk.start + offset} is corrupt (no valid type and sizes)`,
      );
    }
    const dataStart = offset + reader.offset;
    const dataEnd = dataStart + compressed;
    if (dataEnd > bytes.length) {
      throw new DataLossError(
        `${where}: the page (${compressed} bytes from byte ${chunk.start + dataStart}) runs past the end of the column chunk; the file is truncated or corrupt`,
      );
    }
    const kind = PAGE_TYPES[type] ?? `page of type ${type}`;
    if (uncompressed > safety.maxPageBytes)
      throw tooLarge(where, `the ${kind}`, uncompressed, 'maxPageBytes', safety.maxPageBytes);
    decoded += uncompressed;
    if (decoded > safety.maxColumnChunkBytes)
      throw tooLarge(
        chunkName(path, rowGroup, chunk),
        'the column chunk',
        decoded,
        'maxColumnChunkBytes',
        safety.maxColumnChunkBytes,
      );
    const stored = header.get(4)?.value;
    if (safety.verifyChecksums && typeof stored === 'number') {
      const actual = crc32(bytes.subarray(dataStart, dataEnd));
      if (actual !== stored >>> 0) {
        throw new DataLossError(
          `${where}: checksum mismatch in the ${kind} (stored CRC ${hex(stored)}, the data hashes to ${hex(actual)}); the file is corrupt`,
        );
      }
    }
    values += pageValues(header, type);
    offset = dataEnd;
  }
  return padded ? offset : chunk.length;
}

/** num_values of a data page (v1: DataPageHeader, field 5; v2: DataPageHeaderV2, field 8). */
function pageValues(header: ThriftStruct, type: number): number {
  const nested = header.get(type === 0 ? 5 : type === 3 ? 8 : -1)?.value as ThriftStruct | undefined;
  const count = nested?.get(1)?.value;
  return typeof count === 'number' ? count : 0;
}

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/** Checks the safety options' types when a source is built. */
export function checkSafetyOptions(source: string, options: ParquetSafetyOptions): void {
  if (options.verifyChecksums !== undefined && typeof options.verifyChecksums !== 'boolean') {
    throw new InvalidArgumentError(
      `${source}: verifyChecksums must be true or false, got ${JSON.stringify(options.verifyChecksums)}`,
    );
  }
  for (const name of ['maxPageBytes', 'maxColumnChunkBytes'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
      throw new InvalidArgumentError(
        `${source}: ${name} must be a positive integer (bytes), got ${JSON.stringify(value)}`,
      );
    }
  }
}
