import { open, type FileHandle } from 'node:fs/promises';
import {
  type AsyncRecordBatchFileReader,
  type AsyncRecordBatchStreamReader,
  RecordBatchReader,
  type RecordBatch,
  type Schema,
} from 'apache-arrow';
import { DataLossError, cannotOpen, describeCause } from './io_errors.js';
import { checkIpcData } from './arrow_ipc_checks.js';

/**
 * Reads an Arrow IPC file (random access: `ARROW1` magic, footer) or stream from disk one
 * record batch at a time. Files seek straight to the first wanted batch; streams have no
 * index, so batches before it are decoded and dropped.
 * @internal
 */
export class ArrowIpcFileReader {
  private streamEnded = false;

  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    private readonly reader: AsyncRecordBatchFileReader | AsyncRecordBatchStreamReader,
    private nextIndex: number,
    private streamIterator: AsyncIterator<RecordBatch> | undefined,
  ) {}

  static async open(path: string, firstBatch: number): Promise<ArrowIpcFileReader> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw cannotOpen('Arrow IPC file', path, error);
    }
    try {
      const { size } = await handle.stat();
      if (size < 8) throw new Error(`the file has ${size} bytes, fewer than any Arrow IPC header`);
      await checkIpcData(async (position, length) => {
        const bytes = Buffer.alloc(length);
        const { bytesRead } = await handle.read(bytes, 0, length, position);
        return bytes.subarray(0, bytesRead);
      }, size);
      const reader = (await RecordBatchReader.from(handle)) as
        | AsyncRecordBatchFileReader
        | AsyncRecordBatchStreamReader;
      await reader.open();
      if (reader.schema === undefined || reader.schema === null)
        throw new Error('no schema message (not an Arrow IPC file or stream)');
      const iterator = reader.isFile() ? undefined : (reader[Symbol.asyncIterator]() as AsyncIterator<RecordBatch>);
      const file = new ArrowIpcFileReader(path, handle, reader, 0, iterator);
      await file.skipTo(firstBatch);
      return file;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error instanceof DataLossError ? error : corrupt(path, error);
    }
  }

  /** The schema from the file's header. */
  get schema(): Schema {
    return this.reader.schema;
  }

  async next(): Promise<RecordBatch | undefined> {
    try {
      if (this.streamIterator === undefined) {
        const fileReader = this.reader as AsyncRecordBatchFileReader;
        if (this.nextIndex >= fileReader.numRecordBatches) return undefined;
        const batch = await fileReader.readRecordBatch(this.nextIndex);
        if (!batch) throw new Error(`record batch ${this.nextIndex} could not be read`);
        this.nextIndex++;
        return batch;
      }
      const result = await this.streamIterator.next();
      if (result.done) {
        this.streamEnded = true;
        return undefined;
      }
      this.nextIndex++;
      return result.value;
    } catch (error) {
      throw corrupt(this.path, error, this.nextIndex);
    }
  }

  /** Record batches of the file (known from its footer); of a stream, once it has ended. */
  batchCount(): number | undefined {
    if (this.streamIterator === undefined) return (this.reader as AsyncRecordBatchFileReader).numRecordBatches;
    return this.streamEnded ? this.nextIndex : undefined;
  }

  private async skipTo(index: number): Promise<void> {
    if (this.streamIterator === undefined) {
      this.nextIndex = index;
      return;
    }
    while (this.nextIndex < index && (await this.next()) !== undefined);
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

function corrupt(path: string, cause: unknown, batch?: number): DataLossError {
  const where = batch === undefined ? '' : ` at record batch ${batch}`;
  const error = new DataLossError(`Arrow IPC file '${path}' is truncated or corrupt${where}: ${statementOf(cause)}`);
  (error as { cause?: unknown }).cause = cause;
  return error;
}

/**
 * What a failure inside Arrow JS means. Its own messages are statements; a TypeError or
 * RangeError from deep inside the decoder ("Cannot read properties of undefined", "Invalid
 * typed array length: -751619277") only says that the metadata did not add up.
 */
function statementOf(cause: unknown): string {
  if (cause instanceof RangeError)
    return 'a length or offset in its metadata is impossible (negative or beyond the data); the header is damaged';
  if (cause instanceof TypeError)
    return 'its metadata does not match its schema (missing field nodes or buffers); the header is damaged';
  return describeCause(cause);
}
