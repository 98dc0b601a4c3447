import { InvalidArgumentError, NDArray } from '@tsflow/core';
import {
  Bool,
  type DataType,
  DateDay,
  DateMillisecond,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  LargeUtf8,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Type,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
} from 'apache-arrow';

/**
 * The output types a sink's `schema` option may state, by name (or as an apache-arrow
 * DataType for anything else): `{ id: 'int64', score: 'float32', when: 'timestamp[us]' }`.
 */
export type ColumnTypeName =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'utf8'
  | 'large_utf8'
  | 'date32'
  | 'date64'
  | 'timestamp[s]'
  | 'timestamp[ms]'
  | 'timestamp[us]'
  | 'timestamp[ns]';

/** `schema` option of `writeParquet`/`writeArrow`: the type of each named output column. */
export type SinkSchema = Readonly<Record<string, ColumnTypeName | DataType>>;

const BY_NAME: Record<ColumnTypeName, () => DataType> = {
  bool: () => new Bool(),
  int8: () => new Int8(),
  int16: () => new Int16(),
  int32: () => new Int32(),
  int64: () => new Int64(),
  uint8: () => new Uint8(),
  uint16: () => new Uint16(),
  uint32: () => new Uint32(),
  uint64: () => new Uint64(),
  float32: () => new Float32(),
  float64: () => new Float64(),
  utf8: () => new Utf8(),
  large_utf8: () => new LargeUtf8(),
  date32: () => new DateDay(),
  date64: () => new DateMillisecond(),
  'timestamp[s]': () => new TimestampSecond(),
  'timestamp[ms]': () => new TimestampMillisecond(),
  'timestamp[us]': () => new TimestampMicrosecond(),
  'timestamp[ns]': () => new TimestampNanosecond(),
};

/** The stated types by column, checked: a name must be one of ours (or a DataType given). */
export function statedTypes(sink: string, schema: SinkSchema | undefined): Map<string, DataType> {
  const out = new Map<string, DataType>();
  if (schema === undefined) return out;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new InvalidArgumentError(
      `${sink}: schema must be an object of column types, e.g. { id: 'int64' }, got ${JSON.stringify(schema)}`,
    );
  }
  for (const [column, type] of Object.entries(schema)) {
    if (typeof type === 'string' && Object.hasOwn(BY_NAME, type)) out.set(column, BY_NAME[type as ColumnTypeName]());
    else if (isDataType(type) && isWritable(type))
      out.set(
        column,
        type.typeId === Type.Dictionary ? (type as unknown as { dictionary: DataType }).dictionary : type,
      );
    else {
      throw new InvalidArgumentError(
        `${sink}: schema column '${column}' has type ${JSON.stringify(typeof type === 'string' ? type : String(type))}; expected one of ${Object.keys(BY_NAME).join(', ')}`,
      );
    }
  }
  return out;
}

/**
 * The type of a column in the pipeline's source file, kept for the output when the first value
 * fits it: rows rebuilt in a `map` hold plain JS numbers, which alone would say "double", so an
 * int64 column would come out DOUBLE. A value that fits a different kind (a string in an int
 * column) means the user changed the column: its own type is inferred instead.
 */
export function inheritedType(source: DataType | undefined, sample: unknown, fromBatch: boolean): DataType | undefined {
  if (source === undefined || !isWritable(source)) return undefined;
  const dictionaryValues =
    source.typeId === Type.Dictionary ? (source as unknown as { dictionary: DataType }).dictionary : undefined;
  const type = dictionaryValues ?? source;
  if (sample === null || sample === undefined) return type;
  if (sample instanceof NDArray) return ndarrayFits(type, sample, fromBatch) ? type : undefined;
  switch (type.typeId) {
    case Type.Int:
      return (typeof sample === 'number' && Number.isInteger(sample)) || typeof sample === 'bigint' ? type : undefined;
    case Type.Float:
      return typeof sample === 'number' ? type : undefined;
    case Type.Bool:
      return typeof sample === 'boolean' ? type : undefined;
    case Type.Utf8:
    case Type.LargeUtf8:
      return typeof sample === 'string' ? type : undefined;
    case Type.Timestamp:
    case Type.Date:
      return sample instanceof Date ? type : undefined;
    default:
      return undefined;
  }
}

function ndarrayFits(type: DataType, array: NDArray, fromBatch: boolean): boolean {
  const trailing = fromBatch ? array.shape.slice(1) : array.shape;
  let leaf = type;
  for (const size of trailing) {
    if (leaf.typeId !== Type.FixedSizeList || (leaf as unknown as { listSize: number }).listSize !== size) return false;
    leaf = (leaf as unknown as { children: { type: DataType }[] }).children[0]!.type;
  }
  if (leaf.typeId === Type.Bool) return array.dtype === 'bool';
  if (leaf.typeId === Type.Int) return array.dtype === 'int32';
  if (leaf.typeId === Type.Float) return array.dtype !== 'bool' && (leaf as Float32).precision !== 0;
  return false;
}

/** Types the sinks build: numbers, bools, strings, dates/timestamps and fixed-size lists of numbers. */
function isWritable(type: DataType): boolean {
  switch (type.typeId) {
    case Type.Int:
    case Type.Bool:
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Timestamp:
    case Type.Date:
      return true;
    case Type.Float:
      return (type as Float32).precision !== 0;
    case Type.FixedSizeList:
      return isWritable((type as unknown as { children: { type: DataType }[] }).children[0]!.type);
    case Type.Dictionary:
      return isWritable((type as unknown as { dictionary: DataType }).dictionary);
    default:
      return false;
  }
}

function isDataType(value: unknown): value is DataType {
  return typeof value === 'object' && value !== null && typeof (value as { typeId?: unknown }).typeId === 'number';
}
