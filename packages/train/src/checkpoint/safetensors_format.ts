import { DataLossError, type DType, InvalidArgumentError, NDArray } from '@tsflow/core';

/** Safetensors dtypes and their element sizes; the order is the format's alignment order. */
const DTYPE_SIZES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
} as const;
const ALIGNMENT_ORDER = Object.keys(DTYPE_SIZES);

/** Any dtype the safetensors format defines (only F32, I32 and BOOL map to tsflow dtypes). */
export type SafetensorsDType = keyof typeof DTYPE_SIZES;

const TO_SAFETENSORS: Record<DType, SafetensorsDType> = { float32: 'F32', int32: 'I32', bool: 'BOOL', float64: 'F64' };
const FROM_SAFETENSORS: Partial<Record<SafetensorsDType, DType>> = { F32: 'float32', I32: 'int32', BOOL: 'bool' };

/** The reference implementation refuses headers above 100 MB; so do we, before allocating them. */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor's header entry: where its bytes are, relative to the data section. */
export interface SafetensorsEntry {
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

/** A parsed and validated file: its `__metadata__`, its entries, and the whole file's bytes. */
export interface SafetensorsFile {
  metadata: Record<string, string>;
  entries: Map<string, SafetensorsEntry>;
  bytes: Uint8Array;
  dataStart: number;
}

/** The tsflow dtype of a safetensors dtype, or undefined for dtypes tsflow has no NDArray for. */
export function tsflowDType(dtype: SafetensorsDType): DType | undefined {
  return FROM_SAFETENSORS[dtype];
}

export function safetensorsDType(dtype: DType): SafetensorsDType {
  return TO_SAFETENSORS[dtype];
}

/**
 * Serializes tensors as the safetensors reference implementation does: `__metadata__` first,
 * tensors ordered by descending dtype alignment then name (so every tensor's data is aligned),
 * the JSON header padded with spaces to a multiple of 8, data little-endian.
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, NDArray>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = [...tensors.keys()].sort((a, b) => {
    const byAlignment =
      ALIGNMENT_ORDER.indexOf(TO_SAFETENSORS[tensors.get(b)!.dtype]) -
      ALIGNMENT_ORDER.indexOf(TO_SAFETENSORS[tensors.get(a)!.dtype]);
    return byAlignment !== 0 ? byAlignment : a < b ? -1 : a > b ? 1 : 0;
  });
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__')
      throw new InvalidArgumentError(`safetensors: '__metadata__' is reserved and cannot name a tensor`);
    const value = tensors.get(name)!;
    const size = value.data.byteLength;
    header[name] = {
      dtype: TO_SAFETENSORS[value.dtype],
      shape: [...value.shape],
      data_offsets: [offset, offset + size],
    };
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const name of names) {
    const { data } = tensors.get(name)!;
    // Typed arrays are little-endian on every platform Node runs on.
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    position += data.byteLength;
  }
  return out;
}

/**
 * Parses and validates a safetensors file before trusting any of it: the header length is
 * within the file and under {@link MAX_HEADER_BYTES}, the header is a JSON object, every dtype
 * is known, every tensor's byte range matches its shape, and the ranges tile the data section
 * exactly (no overlap, no gap, nothing missing or left over). Anything else is a DataLossError
 * naming `source`.
 */
export function decodeSafetensors(bytes: Uint8Array, source: string): SafetensorsFile {
  const corrupt = (why: string): DataLossError => new DataLossError(`Checkpoint '${source}' is corrupt: ${why}`);
  if (bytes.length < 8) throw corrupt(`the file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES))
    throw corrupt(`header length ${declared} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const headerLength = Number(declared);
  if (8 + headerLength > bytes.length) {
    throw corrupt(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);
  }
  const header = parseHeaderJson(bytes.subarray(8, 8 + headerLength), corrupt);
  const dataStart = 8 + headerLength;
  const metadata = readMetadata(header['__metadata__'], corrupt);
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, raw] of Object.entries(header)) {
    if (name !== '__metadata__') entries.set(name, readEntry(name, raw, corrupt));
  }
  checkTiling(entries, bytes.length - dataStart, corrupt);
  return { metadata, entries, bytes, dataStart };
}

/** Copies one entry's bytes into an NDArray (aligned, owned by the caller). */
export function entryToNDArray(file: SafetensorsFile, entry: SafetensorsEntry): NDArray {
  const dtype = tsflowDType(entry.dtype);
  if (dtype === undefined)
    throw new InvalidArgumentError(`safetensors dtype ${entry.dtype} has no tsflow dtype (F32, I32 and BOOL do)`);
  // A copy into a fresh buffer: aligned for the typed array, and never a view of a Node Buffer pool.
  const copy = new Uint8Array(entry.end - entry.begin);
  copy.set(file.bytes.subarray(file.dataStart + entry.begin, file.dataStart + entry.end));
  const data =
    dtype === 'float32' ? new Float32Array(copy.buffer) : dtype === 'int32' ? new Int32Array(copy.buffer) : copy;
  return new NDArray(dtype, entry.shape, data);
}

function parseHeaderJson(raw: Uint8Array, corrupt: (why: string) => DataLossError): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw corrupt('the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw corrupt(`the header does not start with '{'`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corrupt(`the header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw corrupt('the header is not a JSON object');
  return parsed as Record<string, unknown>;
}

function readMetadata(raw: unknown, corrupt: (why: string) => DataLossError): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw corrupt('__metadata__ is not an object');
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw corrupt(`__metadata__.${key} is not a string`);
  }
  return raw as Record<string, string>;
}

function readEntry(name: string, raw: unknown, corrupt: (why: string) => DataLossError): SafetensorsEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw corrupt(`tensor '${name}' is not an object`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_SIZES, dtype))
    throw corrupt(`tensor '${name}' has unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isCount))
    throw corrupt(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw corrupt(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const expected = shape.reduce((a: number, b: number) => a * b, 1) * DTYPE_SIZES[dtype as SafetensorsDType];
  if (end - begin !== expected) {
    throw corrupt(
      `tensor '${name}' (${dtype} [${shape.join(',')}]) needs ${expected} bytes but data_offsets [${begin},${end}] hold ${end - begin}`,
    );
  }
  return { dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end };
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** The reference reader's rule: sorted by offset, the ranges start at 0 and meet end to end at the file's end. */
function checkTiling(
  entries: Map<string, SafetensorsEntry>,
  dataLength: number,
  corrupt: (why: string) => DataLossError,
): void {
  const sorted = [...entries].sort(([, a], [, b]) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  for (const [name, entry] of sorted) {
    if (entry.begin < position)
      throw corrupt(
        `tensor '${name}' bytes [${entry.begin},${entry.end}] overlap the previous tensor's (which end at ${position})`,
      );
    if (entry.begin > position)
      throw corrupt(`tensor '${name}' starts at byte ${entry.begin}, leaving a gap after byte ${position}`);
    position = entry.end;
  }
  if (position > dataLength)
    throw corrupt(`the data section is ${dataLength} bytes but the tensors need ${position} (truncated file)`);
  if (position < dataLength) throw corrupt(`${dataLength - position} bytes follow the last tensor's data`);
}
