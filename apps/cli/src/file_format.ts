import { type FileHandle, open } from 'node:fs/promises';
import { InvalidArgumentError, NotFoundError, UnimplementedError } from '@tsflow/core';

/** What the CLI reads and writes. */
export type FileFormat = 'parquet' | 'arrow' | 'csv';

/**
 * The format of an existing input file, from its first bytes (Parquet `PAR1`, Arrow IPC file
 * `ARROW1`, Arrow IPC stream `0xFFFFFFFF`), so a misnamed file is still read right; the
 * extension decides only when the bytes are none of these (CSV — `.csv`/`.tsv`, gzipped too —
 * or a damaged file that the reader named by its extension then reports precisely).
 */
export async function inputFormatOf(path: string): Promise<FileFormat> {
  const head = await firstBytes(path, 8);
  const magic = String.fromCharCode(...head.subarray(0, 6));
  if (magic.startsWith('PAR1')) return 'parquet';
  if (magic.startsWith('PARE'))
    throw new UnimplementedError(
      `'${path}' is a Parquet file with an encrypted footer (magic PARE); tsflow cannot read encrypted Parquet`,
    );
  if (magic === 'ARROW1') return 'arrow';
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return 'arrow';
  const byExtension = formatOfName(path);
  if (byExtension !== undefined) return byExtension;
  throw new InvalidArgumentError(
    `cannot tell the format of '${path}': its first bytes are not Parquet (PAR1) or Arrow IPC (ARROW1 or a stream), and its extension is not .parquet, .arrow/.arrows/.ipc/.feather or .csv/.tsv (.gz)`,
  );
}

/** The format an output path asks for, from its extension (the file may not exist yet). */
export function outputFormatOf(path: string): FileFormat {
  const format = formatOfName(path);
  if (format === undefined || format === 'csv') {
    throw new InvalidArgumentError(
      `cannot tell which format to write to '${path}': use a .parquet or .arrow/.arrows/.ipc/.feather extension`,
    );
  }
  return format;
}

function formatOfName(path: string): FileFormat | undefined {
  if (/\.parquet$/i.test(path)) return 'parquet';
  if (/\.(arrow|arrows|ipc|feather)$/i.test(path)) return 'arrow';
  if (/\.(csv|tsv)(\.gz)?$/i.test(path)) return 'csv';
  return undefined;
}

async function firstBytes(path: string, count: number): Promise<Uint8Array> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`no such file: '${path}'`);
    if (code === 'EISDIR') throw new InvalidArgumentError(`'${path}' is a directory, not a file`);
    throw new InvalidArgumentError(`cannot open '${path}': ${(error as Error).message}`);
  }
  try {
    const buffer = new Uint8Array(count);
    const { bytesRead } = await file.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR')
      throw new InvalidArgumentError(`'${path}' is a directory, not a file`);
    throw error;
  } finally {
    await file.close();
  }
}
