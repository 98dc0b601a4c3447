import { fileURLToPath } from 'node:url';

/** Absolute path of a file under the repository's `test-fixtures/` folder. */
export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../../../test-fixtures/${relative}`, import.meta.url));
}
