import type { Data } from 'apache-arrow';
import { isValid } from './arrow_numeric.js';

/**
 * A decimal column as numbers: each value's unscaled two's-complement integer (little-endian
 * 32-bit words, as Arrow stores decimal32..256) divided by 10^scale. Arrow JS's own value for
 * a decimal is its unscaled integer as text ("100" for 1.00), which read as a value would be
 * off by the scale. Exact up to 2^53 unscaled; beyond, the nearest double, as DuckDB and
 * pandas' float conversion give.
 * @internal
 */
export function decimalColumn(data: Data): (number | null)[] {
  const { scale, bitWidth } = data.type as unknown as { scale: number; bitWidth: number };
  const words = bitWidth / 32;
  const values = data.values as Uint32Array;
  const divisor = 10 ** scale;
  const hasNulls = data.nullCount > 0 && data.nullBitmap !== undefined;
  const out: (number | null)[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    if (hasNulls && !isValid(data.nullBitmap!, data.offset, i)) {
      out[i] = null;
      continue;
    }
    let unscaled = 0n;
    for (let w = words - 1; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(values[i * words + w]!);
    unscaled = BigInt.asIntN(bitWidth, unscaled);
    out[i] = Number(unscaled) / divisor;
  }
  return out;
}
