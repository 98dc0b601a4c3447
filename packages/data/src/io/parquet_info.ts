import { type FileHandle, open } from 'node:fs/promises';
import { cannotOpen } from './io_errors.js';
import { readCachedParquetFooter } from './parquet/footer_cache.js';

/** What a Parquet file holds, read from its footer alone (no data pages are read). */
export interface ParquetFileInfo {
  path: string;
  fileSize: number;
  numRows: number;
  /** Top-level columns, with the leaf column chunks each spans (nested lists have several levels in the path). */
  columns: { name: string; leaves: string[] }[];
  rowGroups: { numRows: number; compressedBytes: number; codecs: string[] }[];
}

/**
 * Reads a Parquet file's footer: rows, row groups (size and codecs) and columns. Cheap on files
 * of any size; errors name the file (missing, truncated, not Parquet).
 *
 * @example
 * const info = await parquetFileInfo('data/part-0.parquet');
 * info.rowGroups.length; // how many units fromParquet streams and resumes by
 */
export async function parquetFileInfo(path: string): Promise<ParquetFileInfo> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw cannotOpen('Parquet file', path, error);
  }
  try {
    const footer = await readCachedParquetFooter(handle, path);
    const leafPaths = footer.rowGroups[0]?.chunks.map((chunk) => chunk.path) ?? [];
    return {
      path,
      fileSize: footer.fileSize,
      numRows: footer.numRows,
      columns: footer.columns.map((column) => ({
        name: column.name,
        leaves: leafPaths.slice(column.firstLeaf, column.firstLeaf + column.leafCount),
      })),
      rowGroups: footer.rowGroups.map((group) => ({
        numRows: group.numRows,
        compressedBytes: group.chunks.reduce((sum, chunk) => sum + chunk.length, 0),
        codecs: [...new Set(group.chunks.map((chunk) => chunk.codec))].sort(),
      })),
    };
  } finally {
    await handle.close();
  }
}
