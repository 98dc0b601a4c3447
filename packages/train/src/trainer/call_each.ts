import type { Callback } from './trainer_types.js';

type Hook = 'onTrainBegin' | 'onEpochBegin' | 'onStepEnd' | 'onEpochEnd' | 'onTrainEnd';

/** Calls `hook` on every callback that has it, awaiting only the ones that return a promise. */
export async function callEach(callbacks: readonly Callback[], hook: Hook, ...args: unknown[]): Promise<void> {
  for (const callback of callbacks) {
    const fn = callback[hook] as ((...a: unknown[]) => unknown) | undefined;
    if (fn === undefined) continue;
    const result = fn.apply(callback, args);
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') await result;
  }
}
