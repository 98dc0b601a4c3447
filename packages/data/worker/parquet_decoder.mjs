// Worker side of `fromParquet`'s decode thread: decodes one row group's standalone Parquet file
// (built by row_group_file.ts) into an Arrow IPC stream with parquet-wasm (arrow-rs), so that the
// main thread builds batches from row group N while this thread decodes row group N + 1.
//
// Plain JS on purpose, like parquet_encoder.mjs: worker threads load it as-is (also under vitest,
// which only transforms the main thread), from both src/ and dist/ (same relative path). The
// message protocol mirrors src/io/parquet/decode_thread.ts:
//   main → worker: { id, bytes, offset, batchSize } (bytes moved, not copied)
//   worker → main: { type: 'ready' } once the WASM module is loaded;
//                  { id, ipc } (moved) or { id, error } per request, in request order
import { parentPort } from 'node:worker_threads';

const wasm = await import('parquet-wasm');

parentPort.on('message', ({ id, bytes, offset, batchSize }) => {
  try {
    const ipc = wasm.readParquet(bytes, { batchSize, offset }).intoIPCStream();
    const own = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc : ipc.slice();
    parentPort.postMessage({ id, ipc: own }, [own.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ type: 'ready' });
