import type { Feeds, Operation, Session, Tensor } from '@tsflow/core';
import type { Dataset, ProgressMode, ProgressStream } from '@tsflow/data';
import type { Subject } from 'rxjs';

/** How often something happens during `fit`: every N steps and/or every N epochs. */
export interface Every {
  steps?: number;
  epochs?: number;
}

export interface ValidationOptions<B> {
  dataset: Dataset<B>;
  /** Every N epochs (a number, as Keras' `validation_freq`) or `{ steps }` / `{ epochs }`. Default: every epoch. */
  every?: number | Every;
}

export interface FitOptions<B> {
  epochs: number;
  /** Steps per epoch; the dataset's iterator then continues across epochs (and restarts a pass when it ends). Default: one full pass. */
  stepsPerEpoch?: number;
  validation?: ValidationOptions<B>;
  /** Where checkpoints (`model-<step>.safetensors` + `checkpoint`) go. */
  checkpointDir?: string;
  /** Default with a checkpointDir: every epoch. A checkpoint is also written when training ends or is aborted. */
  checkpointEvery?: Every;
  /** Checkpoints kept (default 5). */
  maxToKeep?: number;
  /** TensorBoard event files go here (graph, step loss every `logEvery` steps, epoch means, validation, weight histograms). */
  logdir?: string;
  /** Step scalars are logged every this many steps (default 10). */
  logEvery?: number;
  progress?: ProgressMode;
  /** Where progress and messages go (default process.stderr). */
  progressStream?: ProgressStream;
  callbacks?: Callback[];
  /** Stop on a NaN/Inf loss (default true); `false` trains on. */
  terminateOnNonFinite?: boolean;
  /** `true`: continue from the latest checkpoint of `checkpointDir` when there is one; a string: from that checkpoint. */
  resume?: boolean | string;
  signal?: AbortSignal;
}

export type StopReason = 'completed' | 'earlyStopping' | 'nonFinite' | 'aborted' | 'stopped';

/** One epoch of `History`: example-weighted means over the epoch. `epoch` counts from 0. */
export interface EpochLog {
  epoch: number;
  loss: number;
  metrics: Record<string, number>;
  valLoss?: number;
  valMetrics?: Record<string, number>;
  seconds: number;
  /** Steps run in this epoch (fewer than usual when training stopped inside it). */
  steps: number;
}

export interface History {
  epochs: EpochLog[];
  /** The global step when training ended. */
  steps: number;
  stopReason: StopReason;
  /** Why training stopped, in words (e.g. which step had a NaN loss and which checkpoint is the last good one). */
  message?: string;
  /** The last checkpoint written (without `.safetensors`). */
  checkpoint?: string;
}

/** What a step reports to callbacks and `events$`. */
export interface StepLog {
  step: number;
  epoch: number;
  stepInEpoch: number;
  loss: number;
  metrics: Record<string, number>;
  examples: number;
}

export type TrainerEvent =
  | ({ type: 'step' } & StepLog)
  | ({ type: 'epoch' } & EpochLog)
  | { type: 'validation'; epoch: number; step: number; loss: number; metrics: Record<string, number> }
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'end'; history: History };

/** The trainer as callbacks see it: they may stop it and run things on its session. */
export interface TrainerHandle {
  readonly session: Session;
  stop(reason?: StopReason, message?: string): void;
  /** The global step. */
  readonly step: number;
}

/**
 * Hooks into `fit`; every method is optional and may be async. `onStepEnd` runs on the hot
 * path: keep it cheap.
 */
export interface Callback {
  onTrainBegin?(trainer: TrainerHandle): void | Promise<void>;
  onEpochBegin?(epoch: number, trainer: TrainerHandle): void | Promise<void>;
  onStepEnd?(log: StepLog, trainer: TrainerHandle): void | Promise<void>;
  onEpochEnd?(log: EpochLog, trainer: TrainerHandle): void | Promise<void>;
  onTrainEnd?(history: History, trainer: TrainerHandle): void | Promise<void>;
  /** JSON state stored in checkpoints so a resumed run continues it (e.g. early stopping's best value). */
  saveState?(): unknown;
  loadState?(state: unknown): void;
  /** @internal Marks the built-in non-finite check, so the default one is not added twice. */
  readonly kind?: string;
}

/**
 * What one run of `fit` uses of its Trainer: declared here so that fit_run.ts needs no import of
 * trainer.ts (which creates the run), keeping the two files free of an import cycle. @internal
 */
export interface FitTarget<B> extends TrainerHandle {
  readonly loss: Tensor;
  readonly trainOp: Operation;
  readonly metrics: Readonly<Record<string, Tensor>>;
  readonly feeds: (batch: B) => Feeds;
  readonly events$: Subject<TrainerEvent>;
}
