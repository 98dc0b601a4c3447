import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { HistogramValue } from './histogram.js';
import { type SessionStatus, SESSION_STATUS } from './event_encode.js';
import { type GraphDefValue, decodeGraphDef } from './graph_def_decode.js';
import { type TensorValue, readTensor } from './tensor_proto.js';

/** One event read back from an event file. Only the fields the event carries are present. */
export interface ReadEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  /** Scalars by tag: TF1 `simple_value`s and TF2 scalar tensors of the `scalars` plugin. */
  scalars?: Record<string, number>;
  histograms?: Record<string, HistogramValue>;
  /** Text summaries by tag (`text` plugin tensors). */
  texts?: Record<string, string>;
  /** Other tensor summaries by tag, with their plugin name. */
  tensors?: Record<string, TensorValue & { pluginName: string }>;
  graph?: GraphDefValue;
  sessionLog?: { status: SessionStatus; checkpointPath: string; msg: string };
}

/** Decodes a serialized tensorflow.Event. Throws (a library error) on malformed protobuf. */
export function decodeEvent(bytes: Uint8Array): ReadEvent {
  const reader = new BinaryReader(bytes);
  const event: ReadEvent = { wallTime: 0, step: 0 };
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.Bit64) event.wallTime = reader.double();
    else if (field === 2 && wireType === WireType.Varint) event.step = Number(reader.int64());
    else if (field === 3) event.fileVersion = reader.string();
    else if (field === 4) event.graph = decodeGraphDef(reader.bytes());
    else if (field === 5) readSummary(reader.bytes(), event);
    else if (field === 7) event.sessionLog = readSessionLog(reader.bytes());
    else reader.skip(wireType, field);
  }
  return event;
}

function readSummary(bytes: Uint8Array, event: ReadEvent): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) readValue(reader.bytes(), event);
    else reader.skip(wireType, field);
  }
}

function readValue(bytes: Uint8Array, event: ReadEvent): void {
  const reader = new BinaryReader(bytes);
  let tag = '';
  let scalar: number | undefined;
  let histogram: HistogramValue | undefined;
  let tensor: TensorValue | undefined;
  let pluginName = '';
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) tag = reader.string();
    else if (field === 2 && wireType === WireType.Bit32) scalar = reader.float();
    else if (field === 5) histogram = readHistogram(reader.bytes());
    else if (field === 8) tensor = readTensor(reader.bytes());
    else if (field === 9) pluginName = readPluginName(reader.bytes());
    else reader.skip(wireType, field);
  }
  if (scalar !== undefined) (event.scalars ??= {})[tag] = scalar;
  else if (histogram !== undefined) (event.histograms ??= {})[tag] = histogram;
  else if (tensor !== undefined) {
    if (pluginName === 'scalars' && tensor.numbers.length === 1) (event.scalars ??= {})[tag] = tensor.numbers[0]!;
    else if (pluginName === 'text' && tensor.strings.length > 0) (event.texts ??= {})[tag] = tensor.strings.join('\n');
    else (event.tensors ??= {})[tag] = { ...tensor, pluginName };
  }
}

/** SummaryMetadata.plugin_data.plugin_name. */
function readPluginName(bytes: Uint8Array): string {
  const metadata = new BinaryReader(bytes);
  while (metadata.pos < metadata.len) {
    const [field, wireType] = metadata.tag();
    if (field !== 1) {
      metadata.skip(wireType, field);
      continue;
    }
    const pluginData = new BinaryReader(metadata.bytes());
    while (pluginData.pos < pluginData.len) {
      const [f, w] = pluginData.tag();
      if (f === 1) return pluginData.string();
      pluginData.skip(w, f);
    }
  }
  return '';
}

function readHistogram(bytes: Uint8Array): HistogramValue {
  const reader = new BinaryReader(bytes);
  const h: HistogramValue = { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const scalarFields = ['min', 'max', 'num', 'sum', 'sumSquares'] as const;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field >= 1 && field <= 5 && wireType === WireType.Bit64) h[scalarFields[field - 1]!] = reader.double();
    else if (field === 6 || field === 7) {
      const target = field === 6 ? h.bucketLimit : h.bucket;
      if (wireType === WireType.LengthDelimited) {
        const packed = new BinaryReader(reader.bytes());
        while (packed.pos < packed.len) target.push(packed.double());
      } else target.push(reader.double());
    } else reader.skip(wireType, field);
  }
  return h;
}

function readSessionLog(bytes: Uint8Array): NonNullable<ReadEvent['sessionLog']> {
  const reader = new BinaryReader(bytes);
  const log = { status: 'STATUS_UNSPECIFIED' as SessionStatus, checkpointPath: '', msg: '' };
  const names = Object.keys(SESSION_STATUS) as SessionStatus[];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) log.status = names[reader.int32()] ?? 'STATUS_UNSPECIFIED';
    else if (field === 2) log.checkpointPath = reader.string();
    else if (field === 3) log.msg = reader.string();
    else reader.skip(wireType, field);
  }
  return log;
}
