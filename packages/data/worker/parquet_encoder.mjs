// Worker side of `writeParquet`: encodes Arrow IPC record batches into Parquet row groups with
// parquet-wasm (arrow-rs) and writes the bytes to the sink's temporary file descriptor, so that
// encoding and compression run on a second core while the main thread reads and transforms.
//
// Plain JS on purpose: worker threads load it as-is (also under vitest, which only transforms
// the main thread), from both src/ and dist/ (same relative path). The message protocol mirrors
// src/io/writers/parquet_encoder.ts:
//   main → worker: { type: 'open', fd, properties } { type: 'batch', ipc } { type: 'end' }
//   worker → main: { type: 'taken' } per batch handed to the encoder, { type: 'wrote', bytes }
//                  as bytes reach the file, { type: 'done', bytes } or { type: 'error', message }
// One file at a time; the main thread reuses the worker for the next file after 'done'.
import { writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

const wasm = await import('parquet-wasm');

let job;

parentPort.on('message', (message) => {
  switch (message.type) {
    case 'open':
      job = { fd: message.fd, queue: [], ended: false, wake: undefined };
      encode(job, message.properties).then(
        (bytes) => parentPort.postMessage({ type: 'done', bytes }),
        (error) => parentPort.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
      break;
    case 'batch':
      job.queue.push(message.ipc);
      job.wake?.();
      break;
    case 'end':
      job.ended = true;
      job.wake?.();
      break;
  }
});

async function encode(current, properties) {
  const source = new ReadableStream(
    {
      async pull(controller) {
        const ipc = await nextBatch(current);
        if (ipc === undefined) {
          controller.close();
          return;
        }
        const table = wasm.Table.fromIPCStream(ipc);
        for (let i = 0; i < table.numBatches; i++) controller.enqueue(table.recordBatch(i));
        table.free();
        parentPort.postMessage({ type: 'taken' });
      },
    },
    { highWaterMark: 0 },
  );
  const output = await wasm.transformParquetStream(source, writerProperties(properties));
  const reader = output.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    writeFully(current.fd, value);
    bytes += value.byteLength;
    parentPort.postMessage({ type: 'wrote', bytes });
  }
}

function nextBatch(current) {
  if (current.queue.length > 0) return Promise.resolve(current.queue.shift());
  if (current.ended) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    current.wake = () => {
      current.wake = undefined;
      resolve(nextBatch(current));
    };
  });
}

function writeFully(fd, bytes) {
  let offset = 0;
  while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
}

function writerProperties({ compression, rowGroupSize, dictionary, dictionaryColumns, dictionaryPageSizeLimit, createdBy }) {
  let builder = new wasm.WriterPropertiesBuilder()
    .setCompression(compression)
    .setMaxRowGroupSize(rowGroupSize)
    .setDictionaryEnabled(dictionary)
    .setCreatedBy(createdBy);
  if (dictionaryPageSizeLimit !== undefined) builder = builder.setDictionaryPageSizeLimit(dictionaryPageSizeLimit);
  for (const [column, enabled] of Object.entries(dictionaryColumns)) builder = builder.setColumnDictionaryEnabled(column, enabled);
  return builder.build();
}
