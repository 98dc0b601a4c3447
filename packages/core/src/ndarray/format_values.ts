import type { TypedArray } from '../dtype.js';

/** Arrays with more elements than this print summarized, numpy style: edges of each axis and `...`. */
const SUMMARIZE_ABOVE = 100;
/** Items kept at each end of a summarized axis. */
const EDGE_ITEMS = 3;

/**
 * The values of a row-major array as one line of nested brackets, `[[1,2,3],[4,5,6]]`;
 * large arrays keep the first and last 3 entries of each axis: `[0,1,2,...,997,998,999]`.
 * Booleans print as true/false.
 */
export function formatValues(data: TypedArray, shape: readonly number[], asBool: boolean): string {
  const summarize = data.length > SUMMARIZE_ABOVE;
  const item = (offset: number) => (asBool ? String(data[offset] !== 0) : formatNumber(data[offset]!));
  if (shape.length === 0) return item(0);
  const strides: number[] = new Array(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis]!;
  }
  const build = (axis: number, offset: number): string => {
    const dim = shape[axis]!;
    const part = (i: number) =>
      axis === shape.length - 1 ? item(offset + i) : build(axis + 1, offset + i * strides[axis]!);
    const parts: string[] = [];
    if (summarize && dim > 2 * EDGE_ITEMS) {
      for (let i = 0; i < EDGE_ITEMS; i++) parts.push(part(i));
      parts.push('...');
      for (let i = dim - EDGE_ITEMS; i < dim; i++) parts.push(part(i));
    } else {
      for (let i = 0; i < dim; i++) parts.push(part(i));
    }
    return `[${parts.join(',')}]`;
  };
  return build(0, 0);
}

function formatNumber(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}
