import { closeSync, fsyncSync, lstatSync, openSync, renameSync, type Stats, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { EXCLUSIVE_CREATE } from './atomic_file.js';
import { fileSystemError, notReplaceable } from './fs_errors.js';
import { removeStaleTempsSync, tempPathFor, trackTemp, untrackTemp } from './temp_files.js';

/**
 * `writeAtomically` for writers that must stay synchronous (the cache records elements on
 * the pipeline's sync path): the same temporary naming, exclusive creation, target check,
 * fsync, rename and cleanup, as an object the writer drives with `fd`, then `commit()` or
 * `abandon()`.
 */
export class AtomicFileSync {
  readonly tmpPath: string;
  readonly fd: number;
  private finished = false;

  constructor(
    private readonly sink: string,
    readonly path: string,
  ) {
    assertReplaceableSync(sink, path);
    removeStaleTempsSync(path);
    this.tmpPath = tempPathFor(path);
    try {
      this.fd = openSync(this.tmpPath, EXCLUSIVE_CREATE, 0o666);
    } catch (error) {
      throw fileSystemError(sink, path, error, [path, this.tmpPath]);
    }
    trackTemp(this.tmpPath);
  }

  /** fsyncs the data, renames it over `path` and fsyncs the folder; removes it on failure. */
  commit(): void {
    if (this.finished) return;
    this.finished = true;
    let renamed = false;
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
      assertReplaceableSync(this.sink, this.path);
      renameSync(this.tmpPath, this.path);
      renamed = true;
      syncDirectorySync(dirname(this.path));
    } catch (error) {
      if (!renamed) removeQuietly(this.tmpPath);
      throw fileSystemError(this.sink, this.path, error, [this.path, this.tmpPath]);
    } finally {
      untrackTemp(this.tmpPath);
    }
  }

  /** Drops the temporary file; `path` stays as it was. */
  abandon(): void {
    if (this.finished) return;
    this.finished = true;
    try {
      closeSync(this.fd);
    } catch {
      // already closed by a failed write
    }
    removeQuietly(this.tmpPath);
    untrackTemp(this.tmpPath);
  }
}

function assertReplaceableSync(sink: string, path: string): void {
  let stats: Stats | undefined;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw fileSystemError(sink, path, error);
  }
  const refusal = notReplaceable(sink, path, stats);
  if (refusal !== undefined) throw refusal;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function syncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename is done either way.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
