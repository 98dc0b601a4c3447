import { InvalidArgumentError } from '../errors.js';

// Window arithmetic of conv2d/maxPool, shared by shape inference (ops/) and the kernels: it sits
// below both, next to the other shape helpers.

export type Padding = 'SAME' | 'VALID';

/** `[sh, sw]` from `n`, `[sh, sw]` or TF's NHWC `[1, sh, sw, 1]`; what names the op/argument in errors. */
export function normalizeWindow2d(value: unknown, what: string): [number, number] {
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  if (ok(value)) return [value, value];
  if (Array.isArray(value)) {
    if (value.length === 2 && ok(value[0]) && ok(value[1])) return [value[0], value[1]];
    if (value.length === 4 && value[0] === 1 && value[3] === 1 && ok(value[1]) && ok(value[2]))
      return [value[1], value[2]];
  }
  throw new InvalidArgumentError(
    `${what}: expected a positive integer, [h, w] or [1, h, w, 1] (NHWC), got ${JSON.stringify(value)}`,
  );
}

export function requirePadding(value: unknown, what: string): Padding {
  if (value !== 'SAME' && value !== 'VALID') {
    throw new InvalidArgumentError(`${what}: padding must be 'SAME' or 'VALID', got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * TF's window arithmetic along one spatial dim: VALID gives (in - k + s) / s (truncated) with no
 * padding; SAME gives ceil(in / s) with the total padding split so the extra row/column goes
 * after. Returns null for `out` when `input` is unknown.
 */
export function windowOutput(
  input: number | null,
  k: number,
  stride: number,
  padding: Padding,
): { out: number | null; padBefore: number } {
  if (input === null) return { out: null, padBefore: 0 };
  if (padding === 'VALID') {
    // (in - k + s) / s with C++ truncation, exactly as TF computes it (and rejects).
    const out = Math.trunc((input - k + stride) / stride);
    if (out < 0) {
      throw new InvalidArgumentError(
        `Computed output size would be negative: ${out} [input_size: ${input}, effective_filter_size: ${k}, stride: ${stride}]`,
      );
    }
    return { out, padBefore: 0 };
  }
  const out = Math.ceil(input / stride);
  const padTotal = Math.max((out - 1) * stride + k - input, 0);
  return { out, padBefore: Math.floor(padTotal / 2) };
}

/** Where a convolution's windows fall (NHWC input, HWIO filter). */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
}
