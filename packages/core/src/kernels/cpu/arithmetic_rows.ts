import { InvalidArgumentError } from '../../errors.js';

/** Binary arithmetic op codes; the switch on them sits outside every element loop. */
export const ArithmeticCode = { Add: 0, Sub: 1, Mul: 2, Div: 3, Pow: 4, Maximum: 5, Minimum: 6 } as const;
export type ArithmeticCode = (typeof ArithmeticCode)[keyof typeof ArithmeticCode];

/**
 * One block of a broadcast loop (see BroadcastLoop): `middle` runs of `inner` output elements
 * written from out[o] on; a/b step as/bs within a run and am/bm between runs.
 * float32: computed in float64 and rounded once on store, which is exact IEEE float32 for + - * /.
 */
export function floatArithmeticBlock(
  code: ArithmeticCode,
  a: Float32Array,
  ia: number,
  as: number,
  am: number,
  b: Float32Array,
  ib: number,
  bs: number,
  bm: number,
  out: Float32Array,
  o: number,
  inner: number,
  middle: number,
): void {
  switch (code) {
    case ArithmeticCode.Add:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! + b[y]!;
      }
      return;
    case ArithmeticCode.Sub:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! - b[y]!;
      }
      return;
    case ArithmeticCode.Mul:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! * b[y]!;
      }
      return;
    case ArithmeticCode.Div:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! / b[y]!;
      }
      return;
    case ArithmeticCode.Pow:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! ** b[y]!;
      }
      return;
    case ArithmeticCode.Maximum:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = Math.max(a[x]!, b[y]!);
      }
      return;
    case ArithmeticCode.Minimum:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = Math.min(a[x]!, b[y]!);
      }
      return;
  }
}

/**
 * int32 twin of `floatArithmeticBlock`: results wrap like int32; Div is floor division (TF1's
 * `tf.div` on integers, Python 2 `//` semantics); division by zero and negative powers throw.
 */
export function intArithmeticBlock(
  code: ArithmeticCode,
  a: Int32Array,
  ia: number,
  as: number,
  am: number,
  b: Int32Array,
  ib: number,
  bs: number,
  bm: number,
  out: Int32Array,
  o: number,
  inner: number,
  middle: number,
): void {
  switch (code) {
    case ArithmeticCode.Add:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = (a[x]! + b[y]!) | 0;
      }
      return;
    case ArithmeticCode.Sub:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = (a[x]! - b[y]!) | 0;
      }
      return;
    case ArithmeticCode.Mul:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = Math.imul(a[x]!, b[y]!);
      }
      return;
    case ArithmeticCode.Div:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = floorDiv(a[x]!, b[y]!);
      }
      return;
    case ArithmeticCode.Pow:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = intPow(a[x]!, b[y]!);
      }
      return;
    case ArithmeticCode.Maximum:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = Math.max(a[x]!, b[y]!);
      }
      return;
    case ArithmeticCode.Minimum:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = Math.min(a[x]!, b[y]!);
      }
      return;
  }
}

/** Floor division; exact for int32 operands, as |a| <= 2^31 keeps the float64 quotient's floor right. */
function floorDiv(a: number, b: number): number {
  if (b === 0) throw new InvalidArgumentError('Integer division by zero');
  return Math.floor(a / b) | 0;
}

/** Integer power by squaring with int32 wrap-around (Math.pow loses low bits past 2^53). */
function intPow(base: number, exponent: number): number {
  if (exponent < 0) {
    throw new InvalidArgumentError(`Integers to negative integer powers are not allowed (got ${base} ** ${exponent})`);
  }
  let result = 1;
  while (exponent > 0) {
    if (exponent & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    exponent >>>= 1;
  }
  return result;
}
