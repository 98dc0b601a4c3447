import {
  DataLossError,
  DeadlineExceededError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  OutOfRangeError,
  PermissionDeniedError,
  ResourceExhaustedError,
  TsflowError,
  UnimplementedError,
} from '@tsflow/core';
import type { Stage } from './stage.js';

/**
 * An error raised inside a stage, tagged with that stage so that the Dataset iterator can name
 * it (with its position in the whole pipeline) when the error reaches the consumer.
 * @internal
 */
export class StageFailure extends Error {
  constructor(
    readonly stage: Stage<unknown>,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StageFailure';
  }
}

/** Tags `error` with the stage it came from, unless an upstream stage already did. */
export function stageFailure(stage: Stage<unknown>, error: unknown): StageFailure {
  return error instanceof StageFailure ? error : new StageFailure(stage, error);
}

/** An error at iteration whose cause is not one of tsflow's own error classes. */
export class DatasetError extends TsflowError {
  /** Label of the stage that failed, e.g. `Map`. */
  stageLabel = '';
}

const REBUILDABLE: readonly (new (message: string) => Error)[] = [
  InvalidArgumentError,
  FailedPreconditionError,
  NotFoundError,
  OutOfRangeError,
  UnimplementedError,
  DataLossError,
  ResourceExhaustedError,
  PermissionDeniedError,
  DeadlineExceededError,
  DatasetError,
];

/** The pipeline as text: `Range(0, 10) -> Map -> Batch(3)`; multi-input stages nest theirs. */
export function describePipeline(stage: Stage<unknown>): string {
  const upstream = stage.upstream;
  if (upstream.length === 0) return stage.label;
  if (upstream.length === 1) return `${describePipeline(upstream[0]!)} -> ${stage.label}`;
  return `${stage.label}(${upstream.map(describePipeline).join(', ')})`;
}

/** Stages in the order `describePipeline` prints them (upstream first). */
function listStages(stage: Stage<unknown>, out: Stage<unknown>[] = []): Stage<unknown>[] {
  for (const input of stage.upstream) listStages(input, out);
  out.push(stage);
  return out;
}

/**
 * The error the consumer sees: `Error in Map (stage 2 of 'Range(0, 10) -> Map'): <message>`,
 * of the same class as the original where that class is one of tsflow's, otherwise (a user
 * function's own Error, TypeError, a thrown string) a DatasetError; the original is kept as
 * `cause`. Serial and parallel stages report the same way.
 */
export function toConsumerError(error: unknown, root: Stage<unknown>): unknown {
  if (!(error instanceof StageFailure)) return error;
  const pipeline = describePipeline(root);
  const position = listStages(root).indexOf(error.stage) + 1;
  const where = position > 0 ? `stage ${position} of '${pipeline}'` : `'${pipeline}'`;
  const original = error.cause;
  const message = `Error in ${error.stage.label} (${where}): ${original instanceof Error ? original.message : String(original)}`;
  const ErrorClass =
    original instanceof Error ? REBUILDABLE.find((candidate) => original.constructor === candidate) : undefined;
  const rebuilt = ErrorClass ? new ErrorClass(message) : new DatasetError(message);
  (rebuilt as Error & { cause?: unknown }).cause = original;
  if (rebuilt instanceof DatasetError) rebuilt.stageLabel = error.stage.label;
  else (rebuilt as Error & { stageLabel?: string }).stageLabel = error.stage.label;
  return rebuilt;
}

/** The error `saveState()` throws for stages whose position can't be recorded. */
export function unsaveableError(stage: Stage<unknown>, why: string): FailedPreconditionError {
  return new FailedPreconditionError(`${stage.label} cannot save its iterator state: ${why}`);
}
