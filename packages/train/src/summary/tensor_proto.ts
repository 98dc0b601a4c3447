import { BinaryReader, type BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { DType, NDArray, StaticShape } from '@tsflow/core';

/** TensorFlow's `DataType` enum values for tsflow's dtypes (and DT_STRING for text). */
export const DATA_TYPE = { float32: 1, float64: 2, int32: 3, string: 7, bool: 10 } as const;
const DTYPE_OF_DATA_TYPE: Record<number, DType | 'string'> = {
  1: 'float32',
  2: 'float64',
  3: 'int32',
  7: 'string',
  10: 'bool',
};

/** The name TF prints for a DataType value (`DT_FLOAT`), for decoded graphs. */
export function dataTypeName(value: number): string {
  const names: Record<number, string> = {
    1: 'DT_FLOAT',
    2: 'DT_DOUBLE',
    3: 'DT_INT32',
    7: 'DT_STRING',
    9: 'DT_INT64',
    10: 'DT_BOOL',
  };
  return names[value] ?? `DT_${value}`;
}

export function dtypeOfDataType(value: number): DType | 'string' | undefined {
  return DTYPE_OF_DATA_TYPE[value];
}

/** TensorShapeProto: `dim { size }` per dimension (-1 unknown), `unknown_rank` for a null shape. */
export function writeShape(writer: BinaryWriter, shape: StaticShape | readonly number[]): void {
  if (shape === null) {
    writer.tag(3, WireType.Varint).bool(true);
    return;
  }
  for (const dim of shape) {
    writer.tag(2, WireType.LengthDelimited).fork();
    // proto3 omits a zero size; an unknown dim is -1.
    const size = dim ?? -1;
    if (size !== 0) writer.tag(1, WireType.Varint).int64(size);
    writer.join();
  }
}

export function readShape(bytes: Uint8Array): (number | null)[] | null {
  const reader = new BinaryReader(bytes);
  const dims: (number | null)[] = [];
  let unknownRank = false;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 2 && wireType === WireType.LengthDelimited) {
      const dim = new BinaryReader(reader.bytes());
      let size = 0;
      while (dim.pos < dim.len) {
        const [f, w] = dim.tag();
        if (f === 1 && w === WireType.Varint) size = Number(dim.int64());
        else dim.skip(w, f);
      }
      dims.push(size < 0 ? null : size);
    } else if (field === 3 && wireType === WireType.Varint) unknownRank = reader.bool();
    else reader.skip(wireType, field);
  }
  return unknownRank ? null : dims;
}

/** TensorProto of an NDArray (`tensor_content` little-endian bytes), or of one string (`string_val`). */
export function writeTensor(writer: BinaryWriter, value: NDArray | string): void {
  if (typeof value === 'string') {
    writer.tag(1, WireType.Varint).int32(DATA_TYPE.string);
    writer.tag(2, WireType.LengthDelimited).fork().join(); // scalar shape
    writer.tag(8, WireType.LengthDelimited).bytes(new TextEncoder().encode(value));
    return;
  }
  writer.tag(1, WireType.Varint).int32(DATA_TYPE[value.dtype]);
  writer.tag(2, WireType.LengthDelimited).fork();
  writeShape(writer, value.shape);
  writer.join();
  const { data } = value;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data.length > 1 && isSplat(bytes, bytes.length / data.length)) {
    // One value stands for all of them (TensorProto repeats the last value to fill the shape),
    // as TF writes `tf.zeros`/`tf.fill` constants: the optimizers' zero-filled slot
    // initializers stay a few bytes in the GraphDef instead of a copy of every slot.
    writer.tag(SPLAT_FIELD[value.dtype], WireType.LengthDelimited).fork();
    writeSplatValue(writer, value);
    writer.join();
    return;
  }
  writer.tag(4, WireType.LengthDelimited).bytes(bytes);
}

/** The packed repeated `*_val` field of each dtype (tensor.proto). */
const SPLAT_FIELD = { float32: 5, float64: 6, int32: 7, bool: 11 } as const;

function writeSplatValue(writer: BinaryWriter, value: NDArray): void {
  const first = value.data[0]!;
  if (value.dtype === 'float32') writer.float(first);
  else if (value.dtype === 'float64') writer.double(first);
  else if (value.dtype === 'int32') writer.int32(first);
  else writer.bool(first !== 0);
}

/** Whether every element has the first element's bytes (so -0 and 0, or NaN payloads, differ). */
function isSplat(bytes: Uint8Array, width: number): boolean {
  for (let i = width; i < bytes.length; i++) if (bytes[i] !== bytes[i % width]) return false;
  return true;
}

/** A short value list is expanded to the shape only up to this many elements (a hostile shape must not exhaust memory). */
const MAX_EXPANDED_ELEMENTS = 1 << 20;

/** A decoded TensorProto: dtype, shape and the values TensorBoard's plugins use. */
export interface TensorValue {
  dtype: number;
  shape: (number | null)[] | null;
  /** `tensor_content` or the `*_val` fields, as numbers (float, int32, bool). */
  numbers: number[];
  strings: string[];
}

export function readTensor(bytes: Uint8Array): TensorValue {
  const reader = new BinaryReader(bytes);
  const tensor: TensorValue = { dtype: 0, shape: [], numbers: [], strings: [] };
  let content: Uint8Array | undefined;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) tensor.dtype = reader.int32();
    else if (field === 2) tensor.shape = readShape(reader.bytes());
    else if (field === 4) content = reader.bytes();
    else if (field === 5) tensor.numbers.push(...readRepeated(reader, wireType, () => reader.float()));
    else if (field === 7 || field === 11)
      tensor.numbers.push(
        ...readRepeated(reader, wireType, () => (field === 11 ? Number(reader.bool()) : reader.int32())),
      );
    else if (field === 6) tensor.numbers.push(...readRepeated(reader, wireType, () => reader.double()));
    else if (field === 8) tensor.strings.push(new TextDecoder().decode(reader.bytes()));
    else reader.skip(wireType, field);
  }
  if (content !== undefined) tensor.numbers = decodeContent(content, tensor.dtype);
  // Fewer values than elements: the last one repeats (how TF stores splat constants).
  const size = tensor.shape === null ? 0 : tensor.shape.reduce<number>((n, d) => n * (d ?? 0), 1);
  if (tensor.numbers.length > 0 && tensor.numbers.length < size && size <= MAX_EXPANDED_ELEMENTS) {
    const last = tensor.numbers[tensor.numbers.length - 1]!;
    while (tensor.numbers.length < size) tensor.numbers.push(last);
  }
  return tensor;
}

/** A repeated scalar field, packed (one length-delimited run) or not (one value per tag). */
function readRepeated(reader: BinaryReader, wireType: WireType, read: () => number): number[] {
  if (wireType !== WireType.LengthDelimited) return [read()];
  const end = reader.uint32() + reader.pos;
  const values: number[] = [];
  while (reader.pos < end) values.push(read());
  return values;
}

function decodeContent(content: Uint8Array, dataType: number): number[] {
  // A copy at offset 0 (aligned); `new Uint8Array(view)` copies even when `content` is a Node Buffer.
  const copy = new Uint8Array(content);
  if (dataType === DATA_TYPE.float32) return [...new Float32Array(copy.buffer, 0, copy.length >> 2)];
  if (dataType === DATA_TYPE.int32) return [...new Int32Array(copy.buffer, 0, copy.length >> 2)];
  if (dataType === 2) return [...new Float64Array(copy.buffer, 0, copy.length >> 3)];
  if (dataType === DATA_TYPE.bool) return [...copy];
  return [];
}
