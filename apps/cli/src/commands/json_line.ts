import { NDArray } from '@tsflow/core';

/** One JSON line for a row: NDArrays become nested arrays, bigints numbers or strings, dates ISO strings. */
export function toJsonLine(row: unknown): string {
  return JSON.stringify(row, (_key, value: unknown) => {
    if (value instanceof NDArray) return value.toArray();
    if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    if (ArrayBuffer.isView(value) && !(value instanceof DataView))
      return Array.from(value as unknown as ArrayLike<number>);
    return value;
  });
}
