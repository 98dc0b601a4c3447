import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../errors.js';

/** The cpu execution settings of a Session (see SessionOptions). @internal */
export interface CpuOptions {
  /** Threads that large cpu kernels split their work over (1 = the calling thread only). */
  threads: number;
  /** Whether plans fuse op chains (see remapper.ts). */
  fusion: boolean;
}

/**
 * The session's cpu settings: explicit options first, then TSFLOW_THREADS / TSFLOW_FUSION=0 in the
 * environment, then the defaults (every available core; fusion on).
 */
export function resolveCpuOptions(options: { threads?: unknown; fusion?: unknown }): CpuOptions {
  const threads = options.threads ?? threadsFromEnv() ?? availableParallelism();
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new InvalidArgumentError(`Session: threads must be an integer from 1 to 256, got ${JSON.stringify(threads)}`);
  }
  const fusion = options.fusion ?? process.env['TSFLOW_FUSION'] !== '0';
  if (typeof fusion !== 'boolean')
    throw new InvalidArgumentError(`Session: fusion must be a boolean, got ${JSON.stringify(fusion)}`);
  return { threads, fusion };
}

function threadsFromEnv(): number | undefined {
  const text = process.env['TSFLOW_THREADS'];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError(`TSFLOW_THREADS must be a positive integer, got '${text}'`);
  return value;
}
