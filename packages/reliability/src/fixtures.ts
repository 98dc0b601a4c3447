import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const fixtures = fileURLToPath(new URL('../../../test-fixtures/', import.meta.url));

/** A file of apache/parquet-testing's `data/` folder (copied into test-fixtures, see its README). */
export const parquetTesting = (name: string): string => join(fixtures, 'parquet', 'parquet-testing', name);

/** A file under test-fixtures/. */
export const fixture = (...parts: string[]): string => join(fixtures, ...parts);

/** The error an async action ends with (fails the test if it succeeds). */
export async function failureOf(action: Promise<unknown>): Promise<Error> {
  try {
    await action;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the action to fail, but it succeeded');
}
