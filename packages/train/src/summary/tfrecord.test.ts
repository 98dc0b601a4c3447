import { describe, expect, it } from 'vitest';
import { DataLossError } from '@tsflow/core';
import { crc32c, maskedCrc32c } from './crc32c.js';
import { decodeEvent } from './event_decode.js';
import { encodeEvent } from './event_encode.js';
import { frameRecord, unframeRecords } from './tfrecord.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

// A real event file written by TensorFlow for `tf.summary.scalar("accuracy", 0.99, step=77)`,
// as dumped with xxd in TensorBoard's own TFRecord reader tests (tensorboard/data/server/tf_record.rs).
const RECORD_1_DATA = bytes([0x09, 0x00, 0x00, 0x80, 0x38, 0x99, 0xd6, 0xd7, 0x41, 0x1a, 0x0d], 'brain.Event:2');
const RECORD_2_DATA = bytes(
  [0x09, 0xc4, 0x05, 0xb7, 0x3d, 0x99, 0xd6, 0xd7, 0x41, 0x10, 0x4d, 0x2a, 0x25, 0x0a, 0x23, 0x0a, 0x08],
  'accuracy',
  [0x42, 0x0a, 0x08, 0x01, 0x12, 0x00, 0x22, 0x04, 0xa4, 0x70, 0x7d, 0x3f, 0x4a, 0x0b, 0x0a, 0x09, 0x0a, 0x07],
  'scalars',
);
const TF_EVENT_FILE = bytes(
  [0x18, 0, 0, 0, 0, 0, 0, 0, 0xa3, 0x7f, 0x4b, 0x22],
  [...RECORD_1_DATA],
  [0x12, 0x4b, 0x36, 0xab],
  [0x32, 0, 0, 0, 0, 0, 0, 0, 0x24, 0x19, 0x56, 0xec],
  [...RECORD_2_DATA],
  [0xa5, 0x5b, 0x64, 0x33],
);

describe('CRC-32C', () => {
  it('matches the standard check values (RFC 3720 B.4 and the catalogue check)', () => {
    expect(crc32c(bytes('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('masks as TFRecord does', () => {
    // The length field of a 24-byte record: TensorBoard's test names its masked CRC 0x224b7fa3.
    expect(maskedCrc32c(bytes([0x18, 0, 0, 0, 0, 0, 0, 0]))).toBe(0x224b7fa3);
  });
});

describe('TFRecord framing', () => {
  it("frames records exactly as TensorFlow's writer did", () => {
    expect([...frameRecord(RECORD_1_DATA), ...frameRecord(RECORD_2_DATA)]).toEqual([...TF_EVENT_FILE]);
  });

  it('encodes the file_version event byte for byte', () => {
    const wallTime = new DataView(RECORD_1_DATA.buffer, 1, 8).getFloat64(0, true);
    expect([...encodeEvent(wallTime, 0, { fileVersion: 'brain.Event:2' })]).toEqual([...RECORD_1_DATA]);
  });

  it("reads TensorFlow's file: version event, then a TF2 scalar at step 77", () => {
    const events = [...unframeRecords(TF_EVENT_FILE, 'tf.events')].map(({ data }) => decodeEvent(data));
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    expect(events[1]!.step).toBe(77);
    expect(events[1]!.scalars!['accuracy']).toBeCloseTo(0.99, 6);
    expect(events[1]!.wallTime).toBeGreaterThan(1.5e9);
  });

  it('rejects a flipped byte in the data, in the length, and a truncated tail', () => {
    const flippedData = TF_EVENT_FILE.slice();
    flippedData[20]! ^= 0x01;
    expect(() => [...unframeRecords(flippedData, 'x.tfevents')]).toThrow(DataLossError);
    expect(() => [...unframeRecords(flippedData, 'x.tfevents')]).toThrow(
      /^Event file 'x\.tfevents' is corrupt: record at byte 0: the data CRC does not match$/,
    );
    const flippedLength = TF_EVENT_FILE.slice();
    flippedLength[40]! ^= 0x40;
    expect(() => [...unframeRecords(flippedLength, 'x.tfevents')]).toThrow(
      /record at byte 40: the length CRC does not match/,
    );
    expect(() => [...unframeRecords(TF_EVENT_FILE.subarray(0, TF_EVENT_FILE.length - 3), 'x.tfevents')]).toThrow(
      /record at byte 40: length 50 runs past the end of the file \(truncated file\)/,
    );
    expect(() => [...unframeRecords(TF_EVENT_FILE.subarray(0, 45), 'x.tfevents')]).toThrow(
      /only 5 bytes left, a record header needs 12/,
    );
  });
});
