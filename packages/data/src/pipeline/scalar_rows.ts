import { NDArray } from '@tsflow/core';

/**
 * Row `row` of a rank-1 array as the element type that batches back to the same dtype:
 * float32 → number (batch stacks numbers as float32), bool → boolean, int32 → a rank-0 int32
 * NDArray (a plain number would come back as float32).
 */
export function scalarRow(array: NDArray, row: number): number | boolean | NDArray {
  const value = array.data[row]!;
  switch (array.dtype) {
    case 'bool':
      return value !== 0;
    case 'float32':
      return value;
    default:
      return new NDArray(array.dtype, [], array.data.subarray(row, row + 1));
  }
}
