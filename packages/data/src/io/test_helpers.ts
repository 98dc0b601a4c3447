import { StageFailure } from '../pipeline/stage_errors.js';
import type { ColumnarChunk, Stage, StageIterator, StageState } from '../pipeline/stage.js';

/** Every element of one pass (test helper). @internal */
export async function drain<T>(iterator: StageIterator<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  try {
    while (out.length < limit) {
      const result = await iterator.next();
      if (result.done) break;
      out.push(result.value);
    }
  } catch (error) {
    // Stages tag errors for the Dataset iterator; tests check the original error.
    throw error instanceof StageFailure ? error.cause : error;
  }
  return out;
}

export async function readRows(
  stage: Stage<Record<string, unknown>>,
  state?: StageState,
): Promise<Record<string, unknown>[]> {
  return drain(stage.open(state));
}

export async function readChunks(stage: Stage<unknown>, state?: StageState): Promise<ColumnarChunk[]> {
  return drain(stage.openChunks!(state));
}

/** The values of one column across chunks, as plain JS values (NDArray rows → arrays). */
export function columnValues(chunks: readonly ColumnarChunk[], column: string): unknown[] {
  const out: unknown[] = [];
  for (const chunk of chunks) {
    const value = chunk.columns[column];
    if (value === undefined) throw new Error(`no column ${column}`);
    if (Array.isArray(value)) out.push(...value);
    else out.push(...(value as { toArray(): unknown[] }).toArray());
  }
  return out;
}
