/** Where CLI commands write: injectable so tests can capture output. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

/** Parses a positive integer option, naming the option on bad input. */
export function positiveInt(value: string | boolean | undefined, option: string, fallback: number): number {
  return integerAtLeast(1, 'a positive integer', value, option, fallback);
}

/** Parses a non-negative integer option (a seed may be 0), naming the option on bad input. */
export function nonNegativeInt(value: string | boolean | undefined, option: string, fallback: number): number {
  return integerAtLeast(0, 'a non-negative integer', value, option, fallback);
}

function integerAtLeast(min: number, what: string, value: string | boolean | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new Error(`--${option} must be ${what}, got '${String(value)}'`);
  }
  return n;
}

/** Parses a positive number option, naming the option on bad input. */
export function positiveNumber(value: string | boolean | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0) {
    throw new Error(`--${option} must be a positive number, got '${String(value)}'`);
  }
  return n;
}

/** The file format implied by an extension. */
export function formatOf(path: string): 'parquet' | 'arrow' {
  if (/\.parquet$/i.test(path)) return 'parquet';
  if (/\.(arrow|arrows|ipc|feather)$/i.test(path)) return 'arrow';
  throw new Error(`cannot tell the format of '${path}': use a .parquet or .arrow/.arrows/.ipc/.feather extension`);
}
