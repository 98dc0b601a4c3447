/*
 * Worker side of `fromParquet`'s decode thread (a worker_threads entry): decodes one row
 * group's standalone Parquet file (built by row_group_file.ts) into an Arrow IPC stream with
 * parquet-wasm (arrow-rs), so that the main thread builds batches from row group N while this
 * thread decodes row group N + 1. Messages are typed in decode_thread.ts (DecodeRequest /
 * DecodeReply): 'ready' once the WASM module is loaded, then one reply per request, in order;
 * buffers are moved both ways.
 *
 * Worker threads load JavaScript as-is (vitest only transforms the main thread), so the main
 * thread always starts the built file, dist/io/parquet/parquet_decoder_worker.js.
 */
import { parentPort } from 'node:worker_threads';
import type { DecodeReply, DecodeRequest } from './decode_thread.js';

const wasm = await import('parquet-wasm');
const port = parentPort!;

port.on('message', ({ id, bytes, offset, batchSize }: DecodeRequest) => {
  try {
    const ipc = wasm.readParquet(bytes, { batchSize, offset }).intoIPCStream();
    const own = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc : ipc.slice();
    port.postMessage({ id, ipc: own } satisfies DecodeReply, [own.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies DecodeReply);
  }
});
port.postMessage({ type: 'ready' } satisfies DecodeReply);
