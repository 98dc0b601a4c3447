import { InvalidArgumentError, type NDArray, type Variable, globalVariables } from '@tsflow/core';
import { VariableAssigner } from '../checkpoint/variable_assigner.js';
import type { Callback, EpochLog, History, TrainerHandle } from './trainer_types.js';

export interface EarlyStoppingOptions {
  /** `'valLoss'` (default), `'loss'`, a metric name (`'accuracy'`) or a validation metric (`'valAccuracy'`). */
  monitor?: string;
  /** Epochs without improvement before stopping. */
  patience: number;
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
  /** `'auto'` (default): `'max'` for names containing 'acc', else `'min'`. */
  mode?: 'auto' | 'min' | 'max';
  /** When training stops (or ends), put back the variables of the best epoch (kept in memory). */
  restoreBest?: boolean;
}

/** The value `monitor` names in an epoch's log, or undefined when the log has none. */
export function monitoredValue(log: EpochLog, monitor: string): number | undefined {
  if (monitor === 'loss') return log.loss;
  if (monitor === 'valLoss') return log.valLoss;
  if (monitor in log.metrics) return log.metrics[monitor];
  const valName = /^val([A-Z].*)$/.exec(monitor)?.[1];
  if (valName !== undefined && log.valMetrics !== undefined) {
    const key = Object.keys(log.valMetrics).find((k) => k.toLowerCase() === valName.toLowerCase());
    if (key !== undefined) return log.valMetrics[key];
  }
  return undefined;
}

/**
 * Stops training when `monitor` has not improved for `patience` epochs (stopReason
 * `'earlyStopping'`); with `restoreBest`, the best epoch's variables are put back at the end.
 *
 * @example
 * trainer.fit(train, { epochs: 50, validation: { dataset: val }, callbacks: [earlyStopping({ patience: 3, restoreBest: true })] });
 */
export function earlyStopping(options: EarlyStoppingOptions): Callback {
  const { monitor = 'valLoss', patience, minDelta = 0, mode = 'auto', restoreBest = false } = options;
  if (!Number.isInteger(patience) || patience < 0)
    throw new InvalidArgumentError(`earlyStopping: patience must be a non-negative integer, got ${patience}`);
  if (!(minDelta >= 0))
    throw new InvalidArgumentError(`earlyStopping: minDelta must be a non-negative number, got ${minDelta}`);
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max')
    throw new InvalidArgumentError(`earlyStopping: mode must be 'auto', 'min' or 'max', got '${String(mode)}'`);
  const maximize = mode === 'max' || (mode === 'auto' && /acc/i.test(monitor));
  let best: number | undefined;
  let wait = 0;
  let bestValues: Map<Variable, NDArray> | undefined;
  const assigner = new VariableAssigner('early_stopping');
  const improved = (value: number): boolean =>
    best === undefined || (maximize ? value > best + minDelta : value < best - minDelta);

  return {
    kind: 'earlyStopping',
    async onEpochEnd(log: EpochLog, trainer: TrainerHandle) {
      const value = monitoredValue(log, monitor);
      if (value === undefined) {
        const available = ['loss', ...Object.keys(log.metrics), ...(log.valLoss === undefined ? [] : ['valLoss'])];
        throw new InvalidArgumentError(
          `earlyStopping: monitor '${monitor}' is not in the epoch's log (available: ${available.join(', ')}); validation metrics need fit({ validation })`,
        );
      }
      if (improved(value)) {
        best = value;
        wait = 0;
        if (restoreBest) {
          const variables = globalVariables(trainer.session.graph);
          const values = (await trainer.session.run(variables)) as NDArray[];
          bestValues = new Map(variables.map((v, i) => [v, values[i]!]));
        }
        return;
      }
      wait++;
      if (wait > patience) trainer.stop('earlyStopping', `${monitor} did not improve on ${best} for ${wait} epochs`);
    },
    async onTrainEnd(history: History, trainer: TrainerHandle) {
      if (restoreBest && bestValues !== undefined && history.stopReason !== 'nonFinite')
        await assigner.assign(trainer.session, bestValues);
    },
    saveState: () => ({ best: best ?? null, wait }),
    loadState(state: unknown) {
      const s = state as { best?: number | null; wait?: number } | null;
      if (
        typeof s !== 'object' ||
        s === null ||
        (s.best !== null && typeof s.best !== 'number') ||
        typeof s.wait !== 'number'
      ) {
        throw new InvalidArgumentError(`earlyStopping: bad saved state ${JSON.stringify(state)}`);
      }
      best = s.best ?? undefined;
      wait = s.wait;
    },
  };
}
