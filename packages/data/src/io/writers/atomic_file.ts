import { rename, rm } from 'node:fs/promises';

/**
 * Writes through `path.tmp` and renames it into place only after `write` succeeded, so a failed
 * or interrupted job never leaves a file at `path` that looks complete.
 * @internal
 */
export async function writeAtomically<T>(path: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
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
