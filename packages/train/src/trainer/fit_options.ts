import { InvalidArgumentError } from '@tsflow/core';
import type { Callback, Every, FitOptions } from './trainer_types.js';
import { terminateOnNonFinite } from './standard_callbacks.js';

/** FitOptions checked and with defaults filled in. */
export interface ResolvedFitOptions {
  epochs: number;
  stepsPerEpoch: number | undefined;
  validateEvery: Every | undefined;
  checkpointEvery: Every | undefined;
  logEvery: number;
  callbacks: Callback[];
}

function positiveInt(value: unknown, what: string): number {
  if (!Number.isInteger(value) || (value as number) < 1)
    throw new InvalidArgumentError(`Trainer.fit: ${what} must be a positive integer, got ${JSON.stringify(value)}`);
  return value as number;
}

function every(value: Every | number | undefined, what: string): Every | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return { epochs: positiveInt(value, what) };
  if (typeof value !== 'object' || value === null)
    throw new InvalidArgumentError(`Trainer.fit: ${what} must be { steps?, epochs? }, got ${JSON.stringify(value)}`);
  const unknown = Object.keys(value).filter((k) => k !== 'steps' && k !== 'epochs');
  if (unknown.length > 0)
    throw new InvalidArgumentError(`Trainer.fit: ${what} has unknown key '${unknown[0]}' (expected steps, epochs)`);
  const out: Every = {};
  if (value.steps !== undefined) out.steps = positiveInt(value.steps, `${what}.steps`);
  if (value.epochs !== undefined) out.epochs = positiveInt(value.epochs, `${what}.epochs`);
  if (out.steps === undefined && out.epochs === undefined)
    throw new InvalidArgumentError(`Trainer.fit: ${what} needs steps or epochs`);
  return out;
}

export function resolveFitOptions(options: FitOptions<unknown>): ResolvedFitOptions {
  if (typeof options !== 'object' || options === null)
    throw new InvalidArgumentError('Trainer.fit: options { epochs, ... } are required');
  const epochs = positiveInt(options.epochs, 'epochs');
  const stepsPerEpoch =
    options.stepsPerEpoch === undefined ? undefined : positiveInt(options.stepsPerEpoch, 'stepsPerEpoch');
  const validateEvery =
    options.validation === undefined
      ? undefined
      : (every(options.validation.every, 'validation.every') ?? { epochs: 1 });
  if (
    options.validation !== undefined &&
    (typeof options.validation.dataset !== 'object' || options.validation.dataset === null)
  ) {
    throw new InvalidArgumentError('Trainer.fit: validation.dataset must be a Dataset');
  }
  if (options.checkpointEvery !== undefined && options.checkpointDir === undefined) {
    throw new InvalidArgumentError('Trainer.fit: checkpointEvery needs a checkpointDir');
  }
  if (
    options.resume !== undefined &&
    options.resume !== false &&
    options.checkpointDir === undefined &&
    typeof options.resume !== 'string'
  ) {
    throw new InvalidArgumentError('Trainer.fit: resume: true needs a checkpointDir');
  }
  const checkpointEvery =
    options.checkpointDir === undefined
      ? undefined
      : (every(options.checkpointEvery, 'checkpointEvery') ?? { epochs: 1 });
  const logEvery = options.logEvery === undefined ? 10 : positiveInt(options.logEvery, 'logEvery');
  const callbacks = [...(options.callbacks ?? [])];
  callbacks.forEach((cb, i) => {
    if (typeof cb !== 'object' || cb === null)
      throw new InvalidArgumentError(`Trainer.fit: callbacks[${i}] must be an object with on... methods`);
  });
  if (options.terminateOnNonFinite !== false && !callbacks.some((cb) => cb.kind === 'terminateOnNonFinite'))
    callbacks.unshift(terminateOnNonFinite());
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw new InvalidArgumentError('Trainer.fit: signal must be an AbortSignal');
  return { epochs, stepsPerEpoch, validateEvery, checkpointEvery, logEvery, callbacks };
}

/** Whether `count` (1-based) is a multiple of `n`. */
export function isDue(n: number | undefined, count: number): boolean {
  return n !== undefined && count % n === 0;
}
