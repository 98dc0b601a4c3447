import { InvalidArgumentError, NDArray, formatShape, ndarray, type NestedArray } from '@tsflow/core';
import { at, describe, mixedError, stackElements } from './stacking.js';
import { isTuple, markTuple } from './value_arrays.js';

/**
 * Stacks elements padding ragged NDArrays (or value arrays: numbers / booleans, nested) to the
 * largest size of each dimension within the batch, filled with `paddingValue`. Objects and
 * tuples are padded field by field; numbers, booleans and strings stack as in `batch`.
 */
export function padAndStack(elements: readonly unknown[], paddingValue: number, where: string, path = ''): unknown {
  const first = elements[0];
  if (first instanceof NDArray || (Array.isArray(first) && !isTuple(first) && isNumericArray(first))) {
    return padNDArrays(
      elements.map((element, i) => toNDArray(element, where, path, i)),
      paddingValue,
      where,
      path,
    );
  }
  if (Array.isArray(first)) {
    const arity = first.length;
    return markTuple(
      first.map((_, field) =>
        padAndStack(
          elements.map((element, i) => {
            if (!Array.isArray(element) || element.length !== arity)
              throw mixedError(where, path, `an array of length ${arity}`, element, i);
            return element[field];
          }),
          paddingValue,
          where,
          `${path}[${field}]`,
        ),
      ),
    );
  }
  if (first !== null && typeof first === 'object' && !ArrayBuffer.isView(first) && !(first instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = padAndStack(
        elements.map((element, i) => {
          if (element === null || typeof element !== 'object' || Array.isArray(element) || !(key in element)) {
            throw mixedError(where, path, `an object with field '${key}'`, element, i);
          }
          return (element as Record<string, unknown>)[key];
        }),
        paddingValue,
        where,
        path === '' ? key : `${path}.${key}`,
      );
    }
    return out;
  }
  return stackElements(elements, where);
}

function isNumericArray(value: unknown[]): boolean {
  return (
    value.length === 0 ||
    typeof value[0] === 'number' ||
    typeof value[0] === 'boolean' ||
    (Array.isArray(value[0]) && isNumericArray(value[0]))
  );
}

function toNDArray(value: unknown, where: string, path: string, index: number): NDArray {
  if (value instanceof NDArray) return value;
  if (Array.isArray(value)) return ndarray(value as NestedArray);
  throw new InvalidArgumentError(
    `${where}: element ${index}${at(path)} is ${describe(value)}, expected an NDArray or number array`,
  );
}

function padNDArrays(arrays: readonly NDArray[], paddingValue: number, where: string, path: string): NDArray {
  const first = arrays[0]!;
  const rank = first.rank;
  const maxShape = first.shape.slice();
  for (let i = 1; i < arrays.length; i++) {
    const array = arrays[i]!;
    if (array.rank !== rank || array.dtype !== first.dtype) {
      throw new InvalidArgumentError(
        `${where} cannot pad ${first.dtype}${formatShape(first.shape)} and ${array.dtype}${formatShape(array.shape)} together` +
          ` (element 0 and ${i}${at(path)}): ranks and dtypes must match`,
      );
    }
    for (let axis = 0; axis < rank; axis++) maxShape[axis] = Math.max(maxShape[axis]!, array.shape[axis]!);
  }
  const rowSize = maxShape.reduce((product, dim) => product * dim, 1);
  const out = new (first.data.constructor as new (length: number) => NDArray['data'])(arrays.length * rowSize);
  if (paddingValue !== 0) out.fill(paddingValue);
  for (let i = 0; i < arrays.length; i++) copyIntoCorner(arrays[i]!, out, i * rowSize, maxShape);
  return new NDArray(first.dtype, [arrays.length, ...maxShape], out);
}

/** Copies `source` into the leading corner of a `paddedShape` block of `out` at `offset`. */
function copyIntoCorner(source: NDArray, out: NDArray['data'], offset: number, paddedShape: readonly number[]): void {
  const rank = source.rank;
  if (rank === 0) {
    out[offset] = source.data[0]!;
    return;
  }
  if (source.size === 0) return;
  const innerLength = source.shape[rank - 1]!;
  const outStrides = new Array<number>(rank);
  outStrides[rank - 1] = 1;
  for (let axis = rank - 2; axis >= 0; axis--) outStrides[axis] = outStrides[axis + 1]! * paddedShape[axis + 1]!;
  const rows = source.size / innerLength;
  const index = new Array<number>(rank - 1).fill(0);
  for (let row = 0; row < rows; row++) {
    let target = offset;
    for (let axis = 0; axis < rank - 1; axis++) target += index[axis]! * outStrides[axis]!;
    out.set(source.data.subarray(row * innerLength, (row + 1) * innerLength), target);
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++index[axis]! < source.shape[axis]!) break;
      index[axis] = 0;
    }
  }
}
