import type { ProgressStream } from '@tsflow/data';

/** Where CLI commands write: injectable so tests can capture output. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Where progress of long commands goes (process.stderr); without one, commands show none. */
  progress?: ProgressStream;
}

/**
 * A command line that is wrong (a bad option value, a missing argument): the CLI prints the
 * message and the command's usage line and exits 2, like commander's own parse errors.
 */
export class UsageError extends Error {
  override name = 'UsageError';

  /** `showUsage: false` for input the command line named correctly but that is wrong itself (a bad config file): one line. */
  constructor(
    message: string,
    readonly options: { showUsage?: boolean } = {},
  ) {
    super(message);
  }
}

/** Ends a command with this exit status and no further message (e.g. 130 after Ctrl-C saved a checkpoint). */
export class CommandExit extends Error {
  override name = 'CommandExit';

  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Parses a positive integer option (`--epochs`), naming the option on bad input. */
export function positiveInt(value: string | undefined, option: string, fallback: number): number {
  return integerAtLeast(1, 'a positive integer', value, option, fallback);
}

/** Parses a non-negative integer option (a seed may be 0), naming the option on bad input. */
export function nonNegativeInt(value: string | undefined, option: string, fallback: number): number {
  return integerAtLeast(0, 'a non-negative integer', value, option, fallback);
}

function integerAtLeast(
  min: number,
  what: string,
  value: string | undefined,
  option: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min)
    throw new UsageError(`${option} must be ${what}, got '${value}'`);
  return n;
}

/** Parses a positive number option (`--learning-rate`), naming the option on bad input. */
export function positiveNumber(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`${option} must be a positive number, got '${value}'`);
  return n;
}

/** Parses a choice option (`--device cpu|gpu|auto`), naming the option and the choices on bad input. */
export function oneOf<T extends string>(
  value: string | undefined,
  option: string,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(
      `${option} must be ${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}, got '${value}'`,
    );
  }
  return value as T;
}

/** A comma-separated list option (`--columns a,b`), trimmed, empty items refused. */
export function commaList(value: string | undefined, option: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === ''))
    throw new UsageError(`${option} must be a comma-separated list of names, got '${value}'`);
  return items;
}
