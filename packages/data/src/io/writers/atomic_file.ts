import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '@tsflow/core';

/**
 * Writes through `path.tmp` and renames it into place only after `write` succeeded, so a failed
 * or interrupted job never leaves a file at `path` that looks complete. `sink` names the caller
 * in errors (a bad path, a missing directory). Shared by every writer of the project (sinks,
 * caches, checkpoints, event files, job outputs).
 */
export async function writeAtomically<T>(sink: string, path: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError(`${sink}: path must be a non-empty string, got ${JSON.stringify(path)}`);
  const dir = dirname(path);
  if (!(await stat(dir).then((info) => info.isDirectory(), () => false))) {
    throw new NotFoundError(`${sink}('${path}'): directory '${dir}' does not exist`);
  }
  const tmpPath = `${path}.tmp`;
  try {
    const result = await write(tmpPath);
    // The data must be on disk before the rename makes it visible, or a power loss can leave
    // `path` naming an empty or partial file.
    await fsyncPath(tmpPath, 'r+');
    await rename(tmpPath, path);
    // The rename itself lives in the folder's entries: sync them so it survives a crash too.
    await fsyncPath(dir, 'r').catch(() => undefined);
    return result;
  } catch (error) {
    await rm(tmpPath, { force: true }).catch(() => undefined);
    throw error;
  }
}

async function fsyncPath(path: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
