import { InvalidArgumentError } from '../../errors.js';
import { formatShape, shapeSize } from '../../ndarray/shape.js';

/**
 * Numpy broadcasting of two concrete shapes (the runtime twin of `broadcastStaticShapes`).
 * `context` (e.g. `'Add_1' (op: 'Add')`) is appended to the error so it names the op.
 *
 * @example
 * broadcastShapes([2, 1, 3], [4, 1]); // [2, 4, 3]
 */
export function broadcastShapes(a: readonly number[], b: readonly number[], context?: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 1; i <= rank; i++) {
    const da = i <= a.length ? a[a.length - i]! : 1;
    const db = i <= b.length ? b[b.length - i]! : 1;
    if (da === db || db === 1) out[rank - i] = da;
    else if (da === 1) out[rank - i] = db;
    else {
      const where = context === undefined ? '' : ` for ${context}`;
      throw new InvalidArgumentError(`Incompatible shapes: ${formatShape(a)} vs. ${formatShape(b)}${where}`);
    }
  }
  return out;
}

/**
 * How to walk a broadcast elementwise op as `rows` contiguous output runs of length `inner`.
 * Row r covers output elements [r*inner, (r+1)*inner); operand k starts that row at
 * `rowOffsets[k][r]` and advances by `innerStrides[k]` (1, or 0 where it is broadcast).
 * Adjacent dims that broadcast the same way for every operand are merged first, so same-shape
 * and scalar operands become a single row and the common `[n, d] + [d]` case rows of length d.
 */
export interface BroadcastLoop {
  readonly size: number;
  readonly inner: number;
  readonly rows: number;
  readonly innerStrides: readonly number[];
  readonly rowOffsets: readonly Int32Array[];
}

/** Plans the loop for operands of `operandShapes` broadcast to `outShape` (see BroadcastLoop). */
export function planBroadcastLoop(operandShapes: readonly (readonly number[])[], outShape: readonly number[]): BroadcastLoop {
  const count = operandShapes.length;
  const size = shapeSize(outShape);
  if (size === 0) {
    return { size: 0, inner: 0, rows: 0, innerStrides: new Array<number>(count).fill(0), rowOffsets: operandShapes.map(() => new Int32Array(0)) };
  }
  // Collapse: drop size-1 output dims, merge neighbours whose broadcast pattern is identical.
  const dims: number[] = [];
  const broadcast: boolean[][] = operandShapes.map(() => []);
  const rank = outShape.length;
  let lastPattern = -1;
  for (let axis = 0; axis < rank; axis++) {
    const dim = outShape[axis]!;
    if (dim === 1) continue;
    let pattern = 0;
    for (let k = 0; k < count; k++) {
      const shape = operandShapes[k]!;
      const offset = rank - shape.length;
      const own = axis >= offset ? shape[axis - offset]! : 1;
      if (own !== dim) pattern |= 1 << k;
    }
    if (pattern === lastPattern) {
      dims[dims.length - 1]! *= dim;
    } else {
      dims.push(dim);
      for (let k = 0; k < count; k++) broadcast[k]!.push((pattern & (1 << k)) !== 0);
      lastPattern = pattern;
    }
  }
  const m = dims.length;
  const inner = m === 0 ? 1 : dims[m - 1]!;
  const rows = size / inner;
  const innerStrides = broadcast.map((b) => (m === 0 || b[m - 1] ? 0 : 1));
  const rowOffsets = broadcast.map((b) => rowOffsetsFor(dims, b, rows));
  return { size, inner, rows, innerStrides, rowOffsets };
}

/** Start offset of each output row within one operand, walking the outer dims like an odometer. */
function rowOffsetsFor(dims: readonly number[], broadcast: readonly boolean[], rows: number): Int32Array {
  const outer = dims.length - 1;
  const offsets = new Int32Array(rows);
  if (outer <= 0) return offsets;
  const strides = new Array<number>(outer);
  let stride = broadcast[outer] ? 1 : dims[outer]!;
  for (let j = outer - 1; j >= 0; j--) {
    strides[j] = broadcast[j] ? 0 : stride;
    if (!broadcast[j]) stride *= dims[j]!;
  }
  const counter = new Array<number>(outer).fill(0);
  let offset = 0;
  for (let r = 0; r < rows; r++) {
    offsets[r] = offset;
    for (let j = outer - 1; j >= 0; j--) {
      offset += strides[j]!;
      if (++counter[j]! < dims[j]!) break;
      offset -= strides[j]! * dims[j]!;
      counter[j] = 0;
    }
  }
  return offsets;
}

/**
 * Axes of `outShape` that a gradient flowing back to an input of `inShape` must be summed over
 * (then reshaped to `inShape`): the leading axes `inShape` lacks and the ones it broadcast from 1.
 *
 * @example
 * broadcastReductionAxes([4, 1], [2, 4, 3]); // [0, 2]
 */
export function broadcastReductionAxes(inShape: readonly number[], outShape: readonly number[]): number[] {
  const offset = outShape.length - inShape.length;
  const axes: number[] = [];
  for (let axis = 0; axis < outShape.length; axis++) {
    if (axis < offset || (inShape[axis - offset] === 1 && outShape[axis] !== 1)) axes.push(axis);
  }
  return axes;
}
