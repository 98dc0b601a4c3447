import { fileURLToPath } from 'node:url';

/** Absolute path of a file under the repository's `test-fixtures/` folder. */
export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../../../test-fixtures/${relative}`, import.meta.url));
}

/** Absolute path of `relative` from the repository root (where `npm run example` writes `runs/`). */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
}
