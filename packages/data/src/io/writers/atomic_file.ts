import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '@tsflow/core';
import { fileSystemError, notReplaceable } from './fs_errors.js';
import { removeStaleTemps, tempPathFor, trackTemp, untrackTemp } from './temp_files.js';

/** O_EXCL: never reuse or share an existing file; O_NOFOLLOW: never write through a planted link. */
export const EXCLUSIVE_CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Writes `path` all or nothing: `write` fills a fresh temporary file beside it
 * (`<path>.tmp-<host>-<pid>-<random>`, created with O_EXCL|O_NOFOLLOW, passed both as a path
 * and as an open handle), which is fsynced, renamed over `path` and the folder fsynced; a
 * failed or interrupted write (error, SIGINT, SIGTERM) removes it and leaves `path` as it
 * was. Only a regular file (or nothing) is replaced: a directory, device, pipe or symbolic
 * link at `path` is refused. Temporaries left by killed processes are removed on the next
 * write to `path`; of two concurrent writers, the later rename wins whole. File-system
 * errors become tsflow errors naming `sink`, `path` and the cause (ENOSPC →
 * ResourceExhaustedError, EACCES/EROFS → PermissionDeniedError, ...). Shared by every writer
 * of the project (sinks, caches, checkpoints, event files, job outputs).
 *
 * @example
 * await writeAtomically('saveReport', 'report.json', (_tmpPath, handle) => handle.writeFile(text));
 */
export async function writeAtomically<T>(
  sink: string,
  path: string,
  write: (tmpPath: string, handle: FileHandle) => Promise<T>,
): Promise<T> {
  if (typeof path !== 'string' || path === '')
    throw new InvalidArgumentError(`${sink}: path must be a non-empty string, got ${JSON.stringify(path)}`);
  const dir = dirname(path);
  if (
    !(await stat(dir).then(
      (info) => info.isDirectory(),
      () => false,
    ))
  ) {
    throw new NotFoundError(`${sink}('${path}'): directory '${dir}' does not exist`);
  }
  await assertReplaceable(sink, path);
  await removeStaleTemps(path);
  const tmpPath = tempPathFor(path);
  const ownPaths = [path, tmpPath, dir];
  let handle: FileHandle;
  try {
    handle = await open(tmpPath, EXCLUSIVE_CREATE, 0o666);
  } catch (error) {
    throw fileSystemError(sink, path, error, ownPaths);
  }
  trackTemp(tmpPath);
  let renamed = false;
  try {
    const result = await write(tmpPath, handle);
    // The data must be on disk before the rename makes it visible, or a power loss can leave
    // `path` naming an empty or partial file.
    await handle.sync();
    await assertStillOurs(sink, path, tmpPath, await handle.stat());
    await assertReplaceable(sink, path);
    await rename(tmpPath, path);
    renamed = true;
    await syncDirectory(dir);
    return result;
  } catch (error) {
    if (!renamed) await unlink(tmpPath).catch(() => undefined);
    throw fileSystemError(sink, path, error, ownPaths);
  } finally {
    untrackTemp(tmpPath);
    await handle.close().catch(() => undefined);
  }
}

async function assertReplaceable(sink: string, path: string): Promise<void> {
  let stats: Stats | undefined;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw fileSystemError(sink, path, error);
  }
  const refusal = notReplaceable(sink, path, stats);
  if (refusal !== undefined) throw refusal;
}

/** The temporary must still be the file we created (not replaced by another process). */
async function assertStillOurs(sink: string, path: string, tmpPath: string, ours: Stats): Promise<void> {
  const now = await lstat(tmpPath).catch(() => undefined);
  if (now === undefined || now.ino !== ours.ino || now.dev !== ours.dev) {
    throw new FailedPreconditionError(
      `${sink}('${path}'): the temporary file '${tmpPath}' was removed or replaced by another process during the write; nothing was written to '${path}'`,
    );
  }
}

/** The rename lives in the folder's entries: sync them so it survives a crash too. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (handle === undefined) return;
  // Some file systems refuse fsync on a directory (EINVAL); the rename is done either way.
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
