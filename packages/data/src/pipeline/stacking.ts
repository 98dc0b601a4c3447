import { InvalidArgumentError, NDArray, formatShape, shapesEqual } from '@tsflow/core';
import { flattenValueArray, markTuple, type ValueArrayInfo, valueArrayInfo } from './value_arrays.js';

/**
 * Stacks a batch of elements the way tf.data's `batch` does: numbers -> float32 `[n]`,
 * booleans -> bool `[n]`, NDArrays -> `[n, ...shape]` (same dtype), strings -> `string[]`,
 * Dates -> `Date[]`, objects -> an object of stacked fields, value arrays (numbers or booleans,
 * nested equal-length arrays of them) -> `[n, ...shape]` like NDArrays, other arrays (tuples from
 * zip/enumerate, arrays holding objects, NDArrays or strings) -> a tuple of stacked fields.
 * `where` names the stage for error messages.
 */
export function stackElements(elements: readonly unknown[], where: string): unknown {
  return stackAt(elements, where, '');
}

/**
 * How `batch` stacks a field of row objects that carry a schema (rows from Arrow/Parquet
 * sources): 'int32' / 'float32' / 'float64' numbers become NDArrays of that dtype (so int columns stay int32
 * through row-level stages like shuffle), 'values' fields (strings, lists, timestamps, with
 * nulls) become plain arrays.
 */
export type RowFieldKind = 'int32' | 'float32' | 'float64' | 'values';

/** Key of the (non-enumerable, inherited) field-kind schema on row objects. @internal */
export const ROW_FIELD_KINDS: unique symbol = Symbol.for('tsflow.rowFieldKinds');

/** A prototype for row objects whose fields follow `kinds`: `Object.create(proto)`. @internal */
export function rowPrototype(kinds: Readonly<Record<string, RowFieldKind>>): object {
  return Object.create(Object.prototype, { [ROW_FIELD_KINDS]: { value: kinds } }) as object;
}

function stackAt(elements: readonly unknown[], where: string, path: string): unknown {
  const first = elements[0];
  if (typeof first === 'number') return stackNumbers(elements, where, path);
  if (typeof first === 'boolean') return stackBooleans(elements, where, path);
  if (typeof first === 'string') return stackAsArray(elements, where, path, 'a string', isString);
  // Dates (timestamp columns) batch to a Date[] as the columnar path gives them, not as objects.
  if (first instanceof Date) return stackAsArray(elements, where, path, 'a Date', isDate);
  if (first instanceof NDArray) return stackNDArrays(elements, where, path);
  if (Array.isArray(first)) {
    const info = valueArrayInfo(first);
    return info === undefined ? stackTuples(elements, where, path) : stackValueArrays(elements, info, where, path);
  }
  if (first !== null && typeof first === 'object' && !ArrayBuffer.isView(first)) {
    return stackObjects(elements, where, path);
  }
  throw new InvalidArgumentError(`${where} cannot batch ${describe(first)}${at(path)}`);
}

function stackNumbers(
  elements: readonly unknown[],
  where: string,
  path: string,
  dtype: 'float32' | 'float64' | 'int32' = 'float32',
): NDArray {
  const n = elements.length;
  const data = dtype === 'int32' ? new Int32Array(n) : dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const value = elements[i];
    if (typeof value !== 'number') throw mixedError(where, path, 'a number', value, i);
    if (dtype === 'int32' && (value > 2147483647 || value < -2147483648)) {
      throw new InvalidArgumentError(
        `${where} cannot batch element ${i}${at(path)}: ${value} does not fit int32, the dtype of this integer column in a batch`,
      );
    }
    data[i] = value;
  }
  return new NDArray(dtype, [n], data);
}

function stackBooleans(elements: readonly unknown[], where: string, path: string): NDArray {
  const n = elements.length;
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const value = elements[i];
    if (typeof value !== 'boolean') throw mixedError(where, path, 'a boolean', value, i);
    data[i] = value ? 1 : 0;
  }
  return new NDArray('bool', [n], data);
}

/** Elements that batch to a plain array (strings, Dates), all checked with `is`. */
function stackAsArray(
  elements: readonly unknown[],
  where: string,
  path: string,
  expected: string,
  is: (value: unknown) => boolean,
): unknown[] {
  for (let i = 0; i < elements.length; i++) {
    if (!is(elements[i])) throw mixedError(where, path, expected, elements[i], i);
  }
  return elements.slice();
}

function isString(value: unknown): boolean {
  return typeof value === 'string';
}

function isDate(value: unknown): boolean {
  return value instanceof Date;
}

function stackNDArrays(elements: readonly unknown[], where: string, path: string): NDArray {
  const first = elements[0] as NDArray;
  const rowSize = first.size;
  const n = elements.length;
  const out = new (first.data.constructor as new (length: number) => NDArray['data'])(n * rowSize);
  for (let i = 0; i < n; i++) {
    const value = elements[i];
    if (!(value instanceof NDArray)) throw mixedError(where, path, 'an NDArray', value, i);
    if (value.dtype !== first.dtype) {
      throw new InvalidArgumentError(
        `${where} cannot batch NDArrays of different dtypes ${first.dtype} and ${value.dtype} (element 0 and ${i}${at(path)})`,
      );
    }
    if (!shapesEqual(value.shape, first.shape)) {
      throw new InvalidArgumentError(
        `${where} cannot batch NDArrays of different shapes ${formatShape(first.shape)} and ${formatShape(value.shape)} ` +
          `(element 0 and ${i}${at(path)}); use paddedBatch to pad ragged elements`,
      );
    }
    out.set(value.data, i * rowSize);
  }
  return new NDArray(first.dtype, [n, ...first.shape], out);
}

/** Value arrays of one dtype and shape -> an NDArray `[n, ...shape]`. */
function stackValueArrays(elements: readonly unknown[], info: ValueArrayInfo, where: string, path: string): NDArray {
  const rowSize = info.shape.reduce((product, dim) => product * dim, 1);
  const n = elements.length;
  const out = info.dtype === 'bool' ? new Uint8Array(n * rowSize) : new Float32Array(n * rowSize);
  for (let i = 0; i < n; i++) {
    const value = elements[i];
    const item = i === 0 ? info : valueArrayInfo(value);
    if (item === undefined)
      throw mixedError(where, path, `a ${info.dtype} array of shape ${formatShape(info.shape)}`, value, i);
    if (item.dtype !== info.dtype) {
      throw new InvalidArgumentError(
        `${where} cannot batch arrays of ${info.dtype === 'bool' ? 'booleans' : 'numbers'} and of ${item.dtype === 'bool' ? 'booleans' : 'numbers'} together (element 0 and ${i}${at(path)})`,
      );
    }
    if (!shapesEqual(item.shape, info.shape)) {
      throw new InvalidArgumentError(
        `${where} cannot batch arrays of different shapes ${formatShape(info.shape)} and ${formatShape(item.shape)} ` +
          `(element 0 and ${i}${at(path)}); use paddedBatch to pad ragged elements`,
      );
    }
    flattenValueArray(value, out, i * rowSize);
  }
  return new NDArray(info.dtype, [n, ...info.shape], out);
}

function stackTuples(elements: readonly unknown[], where: string, path: string): unknown[] {
  const arity = (elements[0] as unknown[]).length;
  const columns: unknown[][] = [];
  for (let field = 0; field < arity; field++) columns.push(new Array(elements.length));
  for (let i = 0; i < elements.length; i++) {
    const value = elements[i];
    if (!Array.isArray(value) || value.length !== arity) {
      throw mixedError(where, path, `an array of length ${arity}`, value, i);
    }
    for (let field = 0; field < arity; field++) columns[field]![i] = value[field];
  }
  return markTuple(columns.map((column, field) => stackAt(column, where, `${path}[${field}]`)));
}

function stackObjects(elements: readonly unknown[], where: string, path: string): Record<string, unknown> {
  const keys = Object.keys(elements[0] as object);
  const kinds = (elements[0] as { [ROW_FIELD_KINDS]?: Readonly<Record<string, RowFieldKind>> })[ROW_FIELD_KINDS];
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const column = new Array(elements.length);
    for (let i = 0; i < elements.length; i++) {
      const value = elements[i] as Record<string, unknown> | null;
      if (value === null || typeof value !== 'object' || !(key in value)) {
        throw mixedError(where, path, `an object with field '${key}'`, value, i);
      }
      column[i] = value[key];
    }
    const field = path === '' ? key : `${path}.${key}`;
    const kind = kinds?.[key];
    if (kind === 'values') out[key] = column;
    else if (kind !== undefined && typeof column[0] === 'number') out[key] = stackNumbers(column, where, field, kind);
    else out[key] = stackAt(column, where, field);
  }
  return out;
}

/** `<where> cannot batch mixed elements at field <path>: element 0 is ... but element i is ...` @internal */
export function mixedError(
  where: string,
  path: string,
  expected: string,
  actual: unknown,
  index: number,
): InvalidArgumentError {
  return new InvalidArgumentError(
    `${where} cannot batch mixed elements${at(path)}: element 0 is ${expected} but element ${index} is ${describe(actual)}`,
  );
}

/** ` at field <path>` for error messages ('' at the top level). @internal */
export function at(path: string): string {
  return path === '' ? '' : ` at field ${path}`;
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (value instanceof NDArray) return `an NDArray ${value.dtype}${formatShape(value.shape)}`;
  if (value instanceof Date) return 'a Date';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value} (${String(value)})`;
}
