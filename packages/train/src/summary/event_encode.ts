import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { NDArray } from '@tsflow/core';
import type { HistogramValue } from './histogram.js';
import { writeTensor } from './tensor_proto.js';

/** SessionLog.SessionStatus: START tells TensorBoard to drop points past this step (a restart). */
export const SESSION_STATUS = { STATUS_UNSPECIFIED: 0, START: 1, STOP: 2, CHECKPOINT: 3 } as const;
export type SessionStatus = keyof typeof SESSION_STATUS;

/** One `Summary.Value`: a scalar (`simple_value`), a histogram, or a tensor with a plugin name (text). */
export type SummaryValueInput =
  | { tag: string; scalar: number }
  | { tag: string; histogram: HistogramValue }
  | { tag: string; tensor: NDArray | string; pluginName: string };

/** What one Event carries besides its time and step (the `what` oneof of event.proto). */
export type EventPayload =
  | { fileVersion: string }
  | { graphDef: Uint8Array }
  | { summary: SummaryValueInput[] }
  | { sessionLog: { status: SessionStatus; checkpointPath?: string; msg?: string } };

/** One writer for every event: its buffer is reused instead of grown anew for each scalar. */
let shared = new BinaryWriter();

/** Serializes a tensorflow.Event (field numbers from tensorflow/core/util/event.proto). */
export function encodeEvent(wallTime: number, step: number, payload: EventPayload): Uint8Array {
  let bytes: Uint8Array;
  try {
    writeEvent(shared, wallTime, step, payload);
  } finally {
    bytes = shared.finish(); // a copy; also empties the writer after a throw
  }
  // A graph's buffer is not worth keeping alive for the small events that follow.
  if (bytes.length > 64 * 1024) shared = new BinaryWriter();
  return bytes;
}

function writeEvent(writer: BinaryWriter, wallTime: number, step: number, payload: EventPayload): void {
  writer.tag(1, WireType.Bit64).double(wallTime);
  if (step !== 0) writer.tag(2, WireType.Varint).int64(step);
  if ('fileVersion' in payload) writer.tag(3, WireType.LengthDelimited).string(payload.fileVersion);
  else if ('graphDef' in payload) writer.tag(4, WireType.LengthDelimited).bytes(payload.graphDef);
  else if ('summary' in payload) {
    writer.tag(5, WireType.LengthDelimited).fork();
    for (const value of payload.summary) writeSummaryValue(writer, value);
    writer.join();
  } else {
    const { status, checkpointPath, msg } = payload.sessionLog;
    writer.tag(7, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.Varint).int32(SESSION_STATUS[status]);
    if (checkpointPath) writer.tag(2, WireType.LengthDelimited).string(checkpointPath);
    if (msg) writer.tag(3, WireType.LengthDelimited).string(msg);
    writer.join();
  }
}

function writeSummaryValue(writer: BinaryWriter, value: SummaryValueInput): void {
  writer.tag(1, WireType.LengthDelimited).fork();
  writer.tag(1, WireType.LengthDelimited).string(value.tag);
  // simple_value is a float: a double beyond float32's range is ±Infinity there, as in TF.
  if ('scalar' in value) writer.tag(2, WireType.Bit32).float(Math.fround(value.scalar));
  else if ('histogram' in value) {
    writer.tag(5, WireType.LengthDelimited).fork();
    writeHistogram(writer, value.histogram);
    writer.join();
  } else {
    writer.tag(8, WireType.LengthDelimited).fork();
    writeTensor(writer, value.tensor);
    writer.join();
    // SummaryMetadata { plugin_data { plugin_name } } routes the tensor to its dashboard.
    writer.tag(9, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(value.pluginName);
    writer.join().join();
  }
  writer.join();
}

function writeHistogram(writer: BinaryWriter, h: HistogramValue): void {
  writer.tag(1, WireType.Bit64).double(h.min);
  writer.tag(2, WireType.Bit64).double(h.max);
  writer.tag(3, WireType.Bit64).double(h.num);
  writer.tag(4, WireType.Bit64).double(h.sum);
  writer.tag(5, WireType.Bit64).double(h.sumSquares);
  // repeated doubles are packed in proto3
  writer.tag(6, WireType.LengthDelimited).fork();
  for (const limit of h.bucketLimit) writer.double(limit);
  writer.join();
  writer.tag(7, WireType.LengthDelimited).fork();
  for (const count of h.bucket) writer.double(count);
  writer.join();
}
