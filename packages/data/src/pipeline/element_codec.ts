import { InvalidArgumentError, NDArray, type DType } from '@tsflow/core';
import { ROW_FIELD_KINDS, type RowFieldKind, rowPrototype } from './stacking.js';
import { isTuple, markTuple } from './value_arrays.js';

/**
 * Turns dataset elements into JSON-safe values and back, exactly: NDArrays and typed arrays
 * keep their bytes (base64), non-finite numbers and `undefined` survive, tuples (from zip /
 * enumerate) stay tuples and plain arrays stay values. Used for iterator
 * states that hold elements (shuffle/prefetch buffers, scan accumulators) and for cache files.
 * Encoded special values are one-key objects whose key starts with `$`; plain objects that
 * happen to have such keys are wrapped in `{ $object: ... }` so decoding is unambiguous.
 */
export function encodeElement(value: unknown, where: string): unknown {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : { $number: String(value) };
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
      return { $undefined: true };
    case 'bigint':
      return { $bigint: value.toString() };
    case 'object':
      break;
    default:
      throw unencodable(value, where);
  }
  if (value === null) return null;
  if (value instanceof NDArray) {
    const expected = value.shape.reduce((product, dim) => product * dim, 1);
    if (value.data.length !== expected) {
      throw new InvalidArgumentError(
        `${where}: an NDArray's buffer was detached (moved to a worker by mapInWorkers with transfer: true), ` +
          'so it cannot be saved; use transfer: false for pipelines whose state you save',
      );
    }
    return { $ndarray: { dtype: value.dtype, shape: value.shape.slice(), data: bytesToBase64(value.data) } };
  }
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    if (!(name in TYPED_ARRAYS)) throw unencodable(value, where);
    return { $typed: { type: name, data: bytesToBase64(value) } };
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => encodeElement(item, where));
    return isTuple(value) ? { $tuple: items } : items;
  }
  if (value instanceof Date) {
    const time = value.getTime();
    return { $date: Number.isFinite(time) ? time : null };
  }
  const prototype = Object.getPrototypeOf(value) as { [ROW_FIELD_KINDS]?: Record<string, RowFieldKind> } | null;
  const rowKinds = prototype?.[ROW_FIELD_KINDS];
  if (prototype !== Object.prototype && prototype !== null && rowKinds === undefined) throw unencodable(value, where);
  const out: Record<string, unknown> = {};
  let needsWrapper = false;
  for (const [key, field] of Object.entries(value)) {
    if (key.startsWith('$')) needsWrapper = true;
    out[key] = encodeElement(field, where);
  }
  // Rows from Arrow/Parquet sources keep their field kinds, so batches after a resume match.
  if (rowKinds !== undefined) return { $row: { kinds: rowKinds, fields: out } };
  return needsWrapper ? { $object: out } : out;
}

/** The inverse of `encodeElement`. */
export function decodeElement(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeElement);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0]!.startsWith('$')) {
    const payload = record[keys[0]!] as Record<string, unknown>;
    switch (keys[0]) {
      case '$number':
        return Number(payload);
      case '$undefined':
        return undefined;
      case '$bigint':
        return BigInt(payload as unknown as string);
      case '$ndarray': {
        const dtype = payload.dtype as DType;
        const Ctor =
          dtype === 'float32'
            ? Float32Array
            : dtype === 'float64'
              ? Float64Array
              : dtype === 'int32'
                ? Int32Array
                : Uint8Array;
        return new NDArray(dtype, payload.shape as number[], base64ToTyped(payload.data as string, Ctor));
      }
      case '$typed':
        return base64ToTyped(payload.data as string, TYPED_ARRAYS[payload.type as TypedArrayName]);
      case '$date':
        return new Date(payload === null ? Number.NaN : (payload as unknown as number));
      case '$tuple':
        if (Array.isArray(payload)) return markTuple(payload.map(decodeElement));
        break;
      case '$row': {
        const row = Object.create(rowPrototype(payload.kinds as Record<string, RowFieldKind>)) as Record<
          string,
          unknown
        >;
        for (const [key, field] of Object.entries(payload.fields as Record<string, unknown>))
          row[key] = decodeElement(field);
        return row;
      }
      case '$object': {
        const out: Record<string, unknown> = {};
        for (const [key, field] of Object.entries(payload)) out[key] = decodeElement(field);
        return out;
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = decodeElement(record[key]);
  return out;
}

const TYPED_ARRAYS = {
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint8ClampedArray,
  Uint16Array,
  Uint32Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type TypedArrayCtor = (typeof TYPED_ARRAYS)[TypedArrayName];

function bytesToBase64(view: ArrayBufferView): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
}

function base64ToTyped<C extends TypedArrayCtor>(text: string, Ctor: C): InstanceType<C> {
  const bytes = Buffer.from(text, 'base64');
  // Copy into a fresh buffer: Buffer's pooled memory may not be aligned for the element type.
  const out = new Ctor(bytes.byteLength / Ctor.BYTES_PER_ELEMENT) as InstanceType<C>;
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

function unencodable(value: unknown, where: string): InvalidArgumentError {
  const kind = typeof value === 'object' && value !== null ? (value.constructor?.name ?? 'object') : typeof value;
  return new InvalidArgumentError(
    `${where}: cannot store an element of type ${kind} in a saved state or cache (supported: numbers, strings, ` +
      'booleans, null, Dates, NDArrays, typed arrays, and arrays / plain objects of these)',
  );
}
