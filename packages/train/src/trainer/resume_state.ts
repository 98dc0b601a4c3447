import { DataLossError } from '@tsflow/core';
import type { IteratorState } from '@tsflow/data';
import type { EpochLog, StopReason } from './trainer_types.js';

/** The `__metadata__` key under which a checkpoint carries the trainer's position. */
export const TRAINER_STATE_KEY = 'tsflow.trainer';

/** Running sums of the epoch in progress (example-weighted). */
export interface EpochSums {
  examples: number;
  loss: number;
  metrics: Record<string, number>;
  seconds: number;
}

/**
 * Where training stood when a checkpoint was written: enough to continue mid-epoch with the
 * same batches, the same running means and the same history as a run that never stopped.
 */
export interface TrainerState {
  version: 1;
  /** The epoch to continue (from 0) and the steps of it already done. */
  epoch: number;
  stepInEpoch: number;
  /** The global step. */
  step: number;
  /** The dataset iterator positioned at the next batch, or null to open a fresh pass. */
  iterator: IteratorState | null;
  sums: EpochSums;
  /** Steps the last full epoch had (the progress bar's total). */
  stepsPerEpoch: number | null;
  history: EpochLog[];
  /** The latest validation, carried into the epoch's log when validating every N steps. */
  lastValidation: { loss: number; metrics: Record<string, number> } | null;
  callbacks: unknown[];
  /** Set when training ended for good (early stopping): a resumed fit returns at once. */
  finished: StopReason | null;
}

export function emptySums(): EpochSums {
  return { examples: 0, loss: 0, metrics: {}, seconds: 0 };
}

/** Parses and checks the state stored in a checkpoint's metadata (DataLossError naming the checkpoint when malformed). */
export function parseTrainerState(raw: string | undefined, checkpoint: string): TrainerState | undefined {
  if (raw === undefined) return undefined;
  const bad = (why: string): DataLossError =>
    new DataLossError(`Checkpoint '${checkpoint}': the trainer state in __metadata__['${TRAINER_STATE_KEY}'] ${why}`);
  let state: TrainerState;
  try {
    state = JSON.parse(raw) as TrainerState;
  } catch {
    throw bad('is not valid JSON');
  }
  if (typeof state !== 'object' || state === null || state.version !== 1)
    throw bad(`has an unknown version ${JSON.stringify((state as { version?: unknown } | null)?.version)}`);
  const counts: (keyof TrainerState)[] = ['epoch', 'stepInEpoch', 'step'];
  for (const key of counts) {
    if (!Number.isSafeInteger(state[key]) || (state[key] as number) < 0)
      throw bad(`has a bad ${key}: ${JSON.stringify(state[key])}`);
  }
  if (typeof state.sums !== 'object' || state.sums === null || typeof state.sums.loss !== 'number')
    throw bad('has no running sums');
  if (!Array.isArray(state.history) || !Array.isArray(state.callbacks)) throw bad('has no history or callback states');
  if (state.iterator !== null && typeof state.iterator !== 'object') throw bad('has a bad iterator state');
  return state;
}
