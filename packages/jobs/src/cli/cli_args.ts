import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@tsflow/core';

/** Where the job commands write: injectable so tests can capture output. */
export interface JobCliIO {
  out(line: string): void;
  err(line: string): void;
}

/** A usage mistake (unknown flag, missing argument): the CLI prints it with the usage and exits 2. */
export class UsageError extends InvalidArgumentError {}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface Parsed {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | undefined>;
}

/** Strict parsing: unknown flags and missing values are usage errors naming the flag. */
export function parseFlags(args: readonly string[], flags: FlagSpec): Parsed {
  try {
    const { positionals, values } = parseArgs({ args: [...args], options: { ...flags, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { positionals, values: values as Record<string, string | boolean | undefined> };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A positive integer flag, or `fallback` when absent. */
export function positiveIntFlag(values: Parsed['values'], flag: string, fallback: number): number {
  const value = values[flag];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--${flag} must be a positive integer, got '${String(value)}'`);
  }
  return n;
}

/** A required string flag. */
export function requiredFlag(values: Parsed['values'], flag: string, command: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value === '') throw new UsageError(`tsflow job ${command} needs --${flag} <value>`);
  return value;
}

/** Exactly one positional argument. */
export function onePositional(positionals: readonly string[], what: string, command: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(`tsflow job ${command} takes one ${what}, got ${positionals.length === 0 ? 'none' : positionals.map((p) => `'${p}'`).join(' ')}`);
  }
  return positionals[0]!;
}
