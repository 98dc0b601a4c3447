/*
 * Worker side of `fromParquet`'s decode threads (a worker_threads entry): decodes one row
 * group's standalone Parquet file (built by row_group_file.ts) into an Arrow IPC stream with
 * parquet-wasm (arrow-rs), so that the main thread builds batches from one row group while
 * this thread decodes a later one. Messages are typed in decode_worker.ts (DecodeRequest /
 * DecodeReply): 'ready' once the WASM module is loaded, then one reply per request, in order;
 * buffers are moved both ways, and the request's buffer goes back for reuse once the decoder
 * has copied it into WASM memory.
 *
 * Worker threads load JavaScript as-is (vitest only transforms the main thread), so the main
 * thread always starts the built file, dist/io/parquet/parquet_decoder_worker.js.
 */
import { parentPort } from 'node:worker_threads';
import type { DecodeReply, DecodeRequest } from './decode_worker.js';

const wasm = await import('parquet-wasm');
const port = parentPort!;

port.on('message', ({ id, buffer, length, offset, batchSize }: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    const ipc = wasm.readParquet(new Uint8Array(buffer, 0, length), { batchSize, offset }).intoIPCStream();
    const own = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc : ipc.slice();
    reply = { id, ipc: own, spare: buffer };
    const moved = [own.buffer as ArrayBuffer];
    if (!(buffer instanceof SharedArrayBuffer)) moved.push(buffer as ArrayBuffer);
    port.postMessage(reply, moved);
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error), spare: buffer };
    port.postMessage(reply, buffer instanceof SharedArrayBuffer ? [] : [buffer as ArrayBuffer]);
  }
});
port.postMessage({ type: 'ready' } satisfies DecodeReply);
