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
 * How to walk a broadcast elementwise op without per-element index math: the output is `rows`
 * contiguous blocks of `middle * inner` elements. In block r, operand k starts at
 * `rowOffsets[k][r]`, steps `innerStrides[k]` (1, or 0 where broadcast) along the inner dim and
 * `middleStrides[k]` from one inner run to the next. Adjacent dims that broadcast the same way
 * for every operand are merged first, so same-shape and scalar operands become one run, and
 * `[n, d] + [d]` one block of n runs of d (no per-row call even when d is tiny).
 */
export interface BroadcastLoop {
  readonly size: number;
  readonly inner: number;
  readonly middle: number;
  readonly rows: number;
  readonly innerStrides: readonly number[];
  readonly middleStrides: readonly number[];
  readonly rowOffsets: readonly Int32Array[];
}

/** Plans the loop for operands of `operandShapes` broadcast to `outShape` (see BroadcastLoop). */
export function planBroadcastLoop(
  operandShapes: readonly (readonly number[])[],
  outShape: readonly number[],
): BroadcastLoop {
  const count = operandShapes.length;
  const size = shapeSize(outShape);
  if (size === 0) {
    const zeros = new Array<number>(count).fill(0);
    return {
      size: 0,
      inner: 0,
      middle: 0,
      rows: 0,
      innerStrides: zeros,
      middleStrides: zeros,
      rowOffsets: operandShapes.map(() => new Int32Array(0)),
    };
  }
  const { dims, broadcast } = collapseDims(operandShapes, outShape);
  const m = dims.length;
  const inner = m >= 1 ? dims[m - 1]! : 1;
  const middle = m >= 2 ? dims[m - 2]! : 1;
  const rows = size / (inner * middle);
  const innerStrides = broadcast.map((b) => (m >= 1 && !b[m - 1] ? 1 : 0));
  const middleStrides = broadcast.map((b) => (m >= 2 && !b[m - 2] ? (b[m - 1] ? 1 : inner) : 0));
  const rowOffsets = broadcast.map((b) => rowOffsetsFor(dims, b, Math.max(m - 2, 0), rows));
  return { size, inner, middle, rows, innerStrides, middleStrides, rowOffsets };
}

/**
 * Drops size-1 output dims (every operand is 1 there) and merges neighbours whose broadcast
 * pattern (which operands repeat along them) is identical.
 */
function collapseDims(
  operandShapes: readonly (readonly number[])[],
  outShape: readonly number[],
): { dims: number[]; broadcast: boolean[][] } {
  const count = operandShapes.length;
  const rank = outShape.length;
  const dims: number[] = [];
  const broadcast: boolean[][] = operandShapes.map(() => []);
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
  return { dims, broadcast };
}

/** Start offset of each block within one operand, walking the `outer` leading dims like an odometer. */
function rowOffsetsFor(
  dims: readonly number[],
  broadcast: readonly boolean[],
  outer: number,
  rows: number,
): Int32Array {
  const offsets = new Int32Array(rows);
  if (outer === 0) return offsets;
  // The operand's own row-major strides: its extent along a dim is 1 where it broadcasts.
  const strides = new Array<number>(outer);
  let stride = 1;
  for (let j = dims.length - 1; j >= 0; j--) {
    if (j < outer) strides[j] = broadcast[j] ? 0 : stride;
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

/** A two-operand broadcast loop unpacked for block kernels (`a op b` over `rows` blocks). */
export interface BinaryBlockPlan {
  readonly outShape: number[];
  readonly size: number;
  readonly rows: number;
  /** Elements per block: `inner * middle`. */
  readonly block: number;
  readonly inner: number;
  readonly middle: number;
  readonly aOffsets: Int32Array;
  readonly bOffsets: Int32Array;
  readonly as: number;
  readonly bs: number;
  readonly am: number;
  readonly bm: number;
}

/** Broadcasts `a` and `b` (naming `context` on mismatch) and plans the block loop over them. */
export function planBinaryBlocks(a: readonly number[], b: readonly number[], context: string): BinaryBlockPlan {
  const outShape = broadcastShapes(a, b, context);
  const loop = planBroadcastLoop([a, b], outShape);
  return {
    outShape,
    size: loop.size,
    rows: loop.rows,
    block: loop.inner * loop.middle,
    inner: loop.inner,
    middle: loop.middle,
    aOffsets: loop.rowOffsets[0]!,
    bOffsets: loop.rowOffsets[1]!,
    as: loop.innerStrides[0]!,
    bs: loop.innerStrides[1]!,
    am: loop.middleStrides[0]!,
    bm: loop.middleStrides[1]!,
  };
}
