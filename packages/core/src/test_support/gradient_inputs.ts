import { type NDArray, ndarray } from '../ndarray/ndarray.js';
import { randomArray, seededUniform } from './gradient_check.js';

/*
 * Inputs for gradient checks that keep central differences away from kinks and ties: a step of
 * the check must not cross a point where the function (or its derivative) is not smooth.
 */

/** Values at least 0.2 away from 0 (kinks of abs/relu/sign live there). */
export function awayFromZero(shape: number[], seed: number): NDArray {
  const rand = seededUniform(seed);
  const a = randomArray(shape, seed + 100, 0.2, 1);
  const data = (a.data as Float32Array).map((v) => (rand() < 0.5 ? -v : v));
  return ndarray(data, { shape });
}

/** b = a shifted by ±[0.2, 0.6] elementwise, so max/min never tie within the step. */
export function shiftedFrom(a: NDArray, seed: number): NDArray {
  const shift = awayFromZero(a.shape.slice(), seed);
  return ndarray(
    (a.data as Float32Array).map((v, i) => v + 0.5 * shift.data[i]!),
    { shape: a.shape },
  );
}

/** Distinct values (a shuffled ramp) so max-pool windows and reductions never tie within the step. */
export function distinct(shape: number[], seed: number): NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const rand = seededUniform(seed);
  const order = Array.from({ length: size }, (_, i) => i).sort(() => rand() - 0.5);
  const data = new Float32Array(size);
  order.forEach((at, rank) => {
    data[at] = rank * 0.1 - size * 0.05;
  });
  return ndarray(data, { shape });
}

/** Rows that are probability distributions (positive, summing to 1). */
export function distributions(rows: number, classes: number, seed: number): NDArray {
  const raw = randomArray([rows, classes], seed, 0.1, 1);
  const data = new Float32Array(raw.data);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += data[r * classes + c]!;
    for (let c = 0; c < classes; c++) data[r * classes + c] = data[r * classes + c]! / sum;
  }
  return ndarray(data, { shape: [rows, classes] });
}
