import { rename, rm, stat } from 'node:fs/promises';
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
    await rename(tmpPath, path);
    return result;
  } catch (error) {
    await rm(tmpPath, { force: true }).catch(() => undefined);
    throw error;
  }
}
