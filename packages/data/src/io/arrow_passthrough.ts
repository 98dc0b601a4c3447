import type { RecordBatch } from 'apache-arrow';
import type { ColumnarChunk } from '../pipeline/stage.js';

/**
 * A chunk that carries its source's Arrow RecordBatch untouched instead of tsflow columns: what
 * Arrow/Parquet sources yield to a sink that writes them straight back out (`openChunks(state,
 * { arrowOnly: true })`), so a copy keeps every type and value exactly (int64, timestamps with
 * their unit, nulls) and builds no per-row or per-column JS values. @internal
 */
const ARROW_BATCH: unique symbol = Symbol('tsflow.arrowBatch');

type ArrowBatchChunk = ColumnarChunk & { readonly [ARROW_BATCH]: RecordBatch };

export function arrowBatchChunk(batch: RecordBatch): ColumnarChunk {
  return { numRows: batch.numRows, columns: {}, [ARROW_BATCH]: batch } as ArrowBatchChunk;
}

/**
 * The IPC stream a batch was decoded from, when it holds exactly that batch (one batch, same
 * columns in the same order): a sink hands it to the Parquet encoder as is instead of
 * serializing the batch again.
 */
const sourceIpc = new WeakMap<RecordBatch, Uint8Array>();

/** Records that `ipc` encodes exactly `chunk`'s batch (when it does: same column order as `decoded`). */
export function withSourceIpc(chunk: ColumnarChunk, decoded: RecordBatch, ipc: Uint8Array): ColumnarChunk {
  const batch = arrowBatchOf(chunk);
  if (
    batch?.schema.fields.every((field, i) => field.name === decoded.schema.fields[i]?.name) &&
    batch.numCols === decoded.numCols
  ) {
    sourceIpc.set(batch, ipc);
  }
  return chunk;
}

/** The IPC bytes of a source's batch (see `withSourceIpc`), given out once: the encoder takes ownership. */
export function takeSourceIpc(batch: RecordBatch): Uint8Array | undefined {
  const ipc = sourceIpc.get(batch);
  sourceIpc.delete(batch);
  return ipc;
}

/** The RecordBatch a chunk carries, if it is one of `arrowBatchChunk`'s. */
export function arrowBatchOf(value: unknown): RecordBatch | undefined {
  return typeof value === 'object' && value !== null && ARROW_BATCH in value
    ? (value as ArrowBatchChunk)[ARROW_BATCH]
    : undefined;
}

/** Options of `openChunks` that Arrow/Parquet sources understand (other stages ignore them). @internal */
export interface ChunkPassOptions {
  /** Yield `arrowBatchChunk`s (ignored when `nullValue`/`validity` change the values). */
  arrowOnly?: boolean;
}
