import { InvalidArgumentError, type NDArray, Variable, ndarray } from '@tsflow/core';
import { VariableAssigner } from '../checkpoint/variable_assigner.js';
import type { Callback, StepLog, TrainerHandle } from './trainer_types.js';

/**
 * Stops training at the first NaN or Inf loss (stopReason `'nonFinite'`) without throwing; the
 * bad step is not checkpointed, so the last checkpoint stays the last good one. `fit` adds it
 * unless `terminateOnNonFinite: false`.
 */
export function terminateOnNonFinite(): Callback {
  return {
    kind: 'terminateOnNonFinite',
    onStepEnd(log: StepLog, trainer: TrainerHandle) {
      if (!Number.isFinite(log.loss))
        trainer.stop(
          'nonFinite',
          `step ${log.step} (epoch ${log.epoch}, step ${log.stepInEpoch} in it) gave a loss of ${log.loss}`,
        );
    },
  };
}

/**
 * Sets the learning rate at the start of each epoch to `schedule(epoch, currentRate)`. The
 * optimizer must read the rate from a float32 scalar Variable (pass it to the optimizer's
 * constructor); without `variable`, the graph's variable named `learning_rate` is used.
 *
 * @example
 * const lr = new Variable(0.01, { name: 'learning_rate', trainable: false });
 * const trainer = new Trainer({ loss, optimizer: new AdamOptimizer(lr), feeds });
 * await trainer.fit(ds, { epochs: 20, callbacks: [learningRateSchedule((epoch, rate) => (epoch < 10 ? rate : rate * 0.9))] });
 */
export function learningRateSchedule(schedule: (epoch: number, rate: number) => number, variable?: Variable): Callback {
  if (typeof schedule !== 'function')
    throw new InvalidArgumentError('learningRateSchedule: schedule must be a function (epoch, rate) => rate');
  if (variable !== undefined && !(variable instanceof Variable))
    throw new InvalidArgumentError('learningRateSchedule: variable must be a Variable');
  const assigner = new VariableAssigner('learning_rate_schedule');
  let target = variable;
  return {
    kind: 'learningRateSchedule',
    onTrainBegin(trainer: TrainerHandle) {
      target ??= findLearningRate(trainer);
      if (target.dtype !== 'float32' || target.shape.length !== 0) {
        throw new InvalidArgumentError(
          `learningRateSchedule: '${target.name}' must be a float32 scalar, got ${target.dtype} [${target.shape.join(',')}]`,
        );
      }
      assigner.prepare(trainer.session.graph, [target]);
    },
    async onEpochBegin(epoch: number, trainer: TrainerHandle) {
      const current = ((await trainer.session.run(target!)) as NDArray).item();
      const next = schedule(epoch, current);
      if (typeof next !== 'number' || !Number.isFinite(next)) {
        throw new InvalidArgumentError(
          `learningRateSchedule: the schedule returned ${String(next)} for epoch ${epoch}; expected a finite number`,
        );
      }
      if (next !== current) await assigner.assign(trainer.session, new Map([[target!, ndarray(next)]]));
    },
  };
}

function findLearningRate(trainer: TrainerHandle): Variable {
  const found = trainer.session.graph
    .getCollection<Variable>('variables')
    .filter((v) => v.name === 'learning_rate' || v.name.endsWith('/learning_rate'));
  if (found.length !== 1) {
    throw new InvalidArgumentError(
      `learningRateSchedule: ${found.length === 0 ? 'no' : 'more than one'} variable named 'learning_rate' in the graph; ` +
        `create the optimizer with one (new AdamOptimizer(new Variable(0.01, { name: 'learning_rate', trainable: false }))) or pass it as the second argument`,
    );
  }
  return found[0]!;
}
