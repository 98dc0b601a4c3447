import { DataLossError } from '@tsflow/core';
import { maskedCrc32c } from './crc32c.js';

/**
 * Frames one record as TFRecord does: uint64 length, uint32 masked CRC-32C of the length
 * bytes, the data, uint32 masked CRC-32C of the data (all little-endian).
 */
export function frameRecord(data: Uint8Array): Uint8Array {
  return frameRecords([data]);
}

/** Frames each record and concatenates them into one buffer (one allocation, one write). */
export function frameRecords(records: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const data of records) size += data.length + 16;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const data of records) {
    view.setUint32(at, data.length, true);
    view.setUint32(at + 4, Math.floor(data.length / 2 ** 32), true);
    view.setUint32(at + 8, maskedCrc32c(out.subarray(at, at + 8)), true);
    out.set(data, at + 12);
    view.setUint32(at + 12 + data.length, maskedCrc32c(data), true);
    at += data.length + 16;
  }
  return out;
}

/**
 * The records of a TFRecord byte stream, each checked against both CRCs. A bad CRC, a length
 * running past the end, or a partial record at the end is a DataLossError naming `source` and
 * the record's byte offset.
 */
export function* unframeRecords(bytes: Uint8Array, source: string): Generator<{ data: Uint8Array; offset: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.length) {
    const fail = (why: string): DataLossError =>
      new DataLossError(`Event file '${source}' is corrupt: record at byte ${offset}: ${why}`);
    if (bytes.length - offset < 12)
      throw fail(`only ${bytes.length - offset} bytes left, a record header needs 12 (truncated file)`);
    const lengthCrc = view.getUint32(offset + 8, true);
    if (maskedCrc32c(bytes.subarray(offset, offset + 8)) !== lengthCrc) throw fail('the length CRC does not match');
    const length = view.getBigUint64(offset, true);
    const remaining = BigInt(bytes.length - offset - 16);
    if (length > remaining) throw fail(`length ${length} runs past the end of the file (truncated file)`);
    const start = offset + 12;
    const data = bytes.subarray(start, start + Number(length));
    if (maskedCrc32c(data) !== view.getUint32(start + data.length, true)) throw fail('the data CRC does not match');
    yield { data, offset };
    offset = start + data.length + 4;
  }
}
