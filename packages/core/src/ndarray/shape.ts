import { InvalidArgumentError } from '../errors.js';

/** A static shape: `null` entries are unknown dimensions; a `null` shape is unknown rank. */
export type StaticShape = (number | null)[] | null;

export function shapeSize(shape: readonly number[]): number {
  // Indexed, not for-of: an iterator over a frozen shape costs more than the multiply (hot in NDArray).
  let size = 1;
  for (let i = 0; i < shape.length; i++) size *= shape[i]!;
  return size;
}

/** `[2,?,3]`, or `<unknown>` for unknown rank: the notation TF error messages use. */
export function formatShape(shape: readonly (number | null)[] | null): string {
  if (shape === null) return '<unknown>';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
}

/** Row-major strides of a concrete shape. */
export function computeStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when every dimension is known. */
export function isFullyDefined(shape: StaticShape): shape is number[] {
  return shape?.every((d) => d !== null) ?? false;
}

/** Whether a concrete shape is compatible with a static (partially known) shape. */
export function isCompatibleShape(actual: readonly number[], expected: StaticShape): boolean {
  if (expected === null) return true;
  if (actual.length !== expected.length) return false;
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i];
    if (e !== null && e !== actual[i]) return false;
  }
  return true;
}

export function validateConcreteShape(shape: readonly unknown[], what: string): number[] {
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new InvalidArgumentError(`${what}: shape ${JSON.stringify(shape)} must contain non-negative integers`);
    }
  }
  return shape as number[];
}

/** Normalises a possibly negative axis against `rank`, throwing a named error when out of range. */
export function normalizeAxis(axis: number, rank: number, what: string): number {
  if (!(Number.isInteger(axis) && axis >= -rank && axis < rank)) {
    throw new InvalidArgumentError(`${what}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}
