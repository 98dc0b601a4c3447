import { InvalidArgumentError } from '../../errors.js';

/** Binary arithmetic op codes; the switch on them sits outside every element loop. */
export const ArithmeticCode = { Add: 0, Sub: 1, Mul: 2, Div: 3, Pow: 4, Maximum: 5, Minimum: 6 } as const;
export type ArithmeticCode = (typeof ArithmeticCode)[keyof typeof ArithmeticCode];

/**
 * out[o + i] = a[ia] (op) b[ib] for n elements, ia/ib advancing by as/bs (1, or 0 when broadcast).
 * float32: computed in float64 and rounded once on store, which is exact IEEE float32 for + - * /.
 */
export function floatArithmeticRow(
  code: ArithmeticCode,
  a: Float32Array, ia: number, as: number,
  b: Float32Array, ib: number, bs: number,
  out: Float32Array, o: number, n: number,
): void {
  const end = o + n;
  switch (code) {
    case ArithmeticCode.Add:
      for (; o < end; o++, ia += as, ib += bs) out[o] = a[ia]! + b[ib]!;
      return;
    case ArithmeticCode.Sub:
      for (; o < end; o++, ia += as, ib += bs) out[o] = a[ia]! - b[ib]!;
      return;
    case ArithmeticCode.Mul:
      for (; o < end; o++, ia += as, ib += bs) out[o] = a[ia]! * b[ib]!;
      return;
    case ArithmeticCode.Div:
      for (; o < end; o++, ia += as, ib += bs) out[o] = a[ia]! / b[ib]!;
      return;
    case ArithmeticCode.Pow:
      for (; o < end; o++, ia += as, ib += bs) out[o] = Math.pow(a[ia]!, b[ib]!);
      return;
    case ArithmeticCode.Maximum:
      for (; o < end; o++, ia += as, ib += bs) out[o] = Math.max(a[ia]!, b[ib]!);
      return;
    case ArithmeticCode.Minimum:
      for (; o < end; o++, ia += as, ib += bs) out[o] = Math.min(a[ia]!, b[ib]!);
      return;
  }
}

/**
 * int32 twin of `floatArithmeticRow`: results wrap like int32; Div is floor division (TF1's
 * `tf.div` on integers, Python 2 `//` semantics); division by zero and negative powers throw.
 */
export function intArithmeticRow(
  code: ArithmeticCode,
  a: Int32Array, ia: number, as: number,
  b: Int32Array, ib: number, bs: number,
  out: Int32Array, o: number, n: number,
): void {
  const end = o + n;
  switch (code) {
    case ArithmeticCode.Add:
      for (; o < end; o++, ia += as, ib += bs) out[o] = (a[ia]! + b[ib]!) | 0;
      return;
    case ArithmeticCode.Sub:
      for (; o < end; o++, ia += as, ib += bs) out[o] = (a[ia]! - b[ib]!) | 0;
      return;
    case ArithmeticCode.Mul:
      for (; o < end; o++, ia += as, ib += bs) out[o] = Math.imul(a[ia]!, b[ib]!);
      return;
    case ArithmeticCode.Div:
      for (; o < end; o++, ia += as, ib += bs) {
        const divisor = b[ib]!;
        if (divisor === 0) throw new InvalidArgumentError('Integer division by zero');
        // Exact for int32 operands: |a| <= 2^31 keeps the float64 quotient's floor correct.
        out[o] = Math.floor(a[ia]! / divisor) | 0;
      }
      return;
    case ArithmeticCode.Pow:
      for (; o < end; o++, ia += as, ib += bs) out[o] = intPow(a[ia]!, b[ib]!);
      return;
    case ArithmeticCode.Maximum:
      for (; o < end; o++, ia += as, ib += bs) out[o] = Math.max(a[ia]!, b[ib]!);
      return;
    case ArithmeticCode.Minimum:
      for (; o < end; o++, ia += as, ib += bs) out[o] = Math.min(a[ia]!, b[ib]!);
      return;
  }
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
