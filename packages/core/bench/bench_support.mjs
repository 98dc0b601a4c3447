// Helpers shared by the core benches (not a bench itself: run.mjs only runs *.bench.mjs).
import { ndarray } from '../dist/index.js';

/** A deterministic float32 array of `shape` with values in [-0.5, 0.5) (an LCG, so runs compare). */
export function randomArray(shape, seed) {
  const data = new Float32Array(shape.reduce((x, y) => x * y, 1));
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return ndarray(data, { shape });
}

/** A deterministic n×n randomArray. */
export function randomMatrix(n, seed) {
  return randomArray([n, n], seed);
}

/** The median (mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
