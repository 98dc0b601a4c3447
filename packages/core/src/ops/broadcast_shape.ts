import type { Tensor } from '../graph/tensor.js';
import type { StaticShape } from '../ndarray/shape.js';
import { shapeError } from './op_builder.js';

/**
 * Numpy broadcasting of two static shapes (dims aligned from the right). Unknown dims follow
 * what the runtime could still produce: `?` vs 1 is `?`, `?` vs n (n != 1) is n, since the
 * unknown dim must then be 1 or n. Unknown rank on either side gives unknown rank.
 * Incompatible known dims throw TF's build-time error naming the op and all input shapes.
 *
 * @example
 * broadcastStaticShapes([2, 1, 3], [4, 1], 'Add', 'Add', inputs); // [2, 4, 3]
 */
export function broadcastStaticShapes(
  a: StaticShape,
  b: StaticShape,
  opName: string,
  opType: string,
  inputs: readonly Tensor[],
): StaticShape {
  if (a === null || b === null) return null;
  const rank = Math.max(a.length, b.length);
  const out = new Array<number | null>(rank);
  for (let i = 1; i <= rank; i++) {
    const da = i <= a.length ? a[a.length - i]! : 1;
    const db = i <= b.length ? b[b.length - i]! : 1;
    out[rank - i] = broadcastDim(da, db, opName, opType, inputs);
  }
  return out;
}

/** Broadcasts any number of static shapes left to right (e.g. the three inputs of `where`). */
export function broadcastStaticShapesN(
  shapes: readonly StaticShape[],
  opName: string,
  opType: string,
  inputs: readonly Tensor[],
): StaticShape {
  let out: StaticShape = [];
  for (const shape of shapes) out = broadcastStaticShapes(out, shape, opName, opType, inputs);
  return out;
}

function broadcastDim(
  da: number | null,
  db: number | null,
  opName: string,
  opType: string,
  inputs: readonly Tensor[],
): number | null {
  if (da === null) return db === null || db === 1 ? null : db;
  if (db === null) return da === 1 ? null : da;
  if (da === db || db === 1) return da;
  if (da === 1) return db;
  throw shapeError(`Dimensions must be equal, but are ${da} and ${db}`, opName, opType, inputs);
}
