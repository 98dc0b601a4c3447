/*
 * Worker side of `writeParquet` (a worker_threads entry): encodes Arrow IPC record batches into
 * Parquet row groups with parquet-wasm (arrow-rs) and writes the bytes to the sink's temporary
 * file descriptor, so that encoding and compression run on a second core while the main thread
 * reads and transforms. The messages are typed in parquet_encoder.ts (EncoderRequest /
 * EncoderReply). One file at a time; the main thread reuses the worker for the next file after
 * 'done'.
 *
 * Worker threads load JavaScript as-is (vitest only transforms the main thread), so the main
 * thread always starts the built file, dist/io/writers/parquet_encoder_worker.js.
 */
import { writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { EncoderProperties, EncoderReply, EncoderRequest } from './parquet_encoder.js';

const wasm = await import('parquet-wasm');
const port = parentPort!;

interface Job {
  fd: number;
  /** IPC streams handed over and not yet taken by the encoder. */
  queue: Uint8Array[];
  ended: boolean;
  wake: (() => void) | undefined;
}

let job: Job | undefined;

const reply = (message: EncoderReply): void => port.postMessage(message);

port.on('message', (message: EncoderRequest) => {
  switch (message.type) {
    case 'open': {
      const current: Job = { fd: message.fd, queue: [], ended: false, wake: undefined };
      job = current;
      encode(current, message.properties).then(
        (bytes) => reply({ type: 'done', bytes }),
        (error: unknown) => reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
      break;
    }
    case 'batch':
      job!.queue.push(message.ipc);
      job!.wake?.();
      break;
    case 'end':
      job!.ended = true;
      job!.wake?.();
      break;
  }
});

async function encode(current: Job, properties: EncoderProperties): Promise<number> {
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
        reply({ type: 'taken' });
      },
    },
    { highWaterMark: 0 },
  );
  const output = await wasm.transformParquetStream(source, writerProperties(properties));
  const reader = (output as ReadableStream<Uint8Array>).getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    writeFully(current.fd, value);
    bytes += value.byteLength;
    reply({ type: 'wrote', bytes });
  }
}

function nextBatch(current: Job): Promise<Uint8Array | undefined> {
  if (current.queue.length > 0) return Promise.resolve(current.queue.shift());
  if (current.ended) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    current.wake = () => {
      current.wake = undefined;
      resolve(nextBatch(current));
    };
  });
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
}

function writerProperties(properties: EncoderProperties) {
  const { compression, rowGroupSize, dictionary, dictionaryColumns, dictionaryPageSizeLimit, createdBy } = properties;
  let builder = new wasm.WriterPropertiesBuilder()
    .setCompression(compression)
    .setMaxRowGroupSize(rowGroupSize)
    .setDictionaryEnabled(dictionary)
    .setCreatedBy(createdBy);
  if (dictionaryPageSizeLimit !== undefined) builder = builder.setDictionaryPageSizeLimit(dictionaryPageSizeLimit);
  for (const [column, enabled] of Object.entries(dictionaryColumns))
    builder = builder.setColumnDictionaryEnabled(column, enabled);
  return builder.build();
}
