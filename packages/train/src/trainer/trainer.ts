import {
  type Feeds,
  type Graph,
  InvalidArgumentError,
  type NDArray,
  Operation,
  Session,
  Tensor,
  type Variable,
  globalVariables,
} from '@tsflow/core';
import type { Dataset } from '@tsflow/data';
import { Subject } from 'rxjs';
import type { Optimizer } from '../optimizers/optimizer.js';
import { getOrCreateGlobalStep } from '../optimizers/global_step.js';
import { FitRun } from './fit_run.js';
import { evaluateBatches } from './evaluate.js';
import type { FitOptions, History, StopReason, TrainerEvent, TrainerHandle } from './trainer_types.js';

export interface TrainerOptions<B> {
  /** Defaults to a new Session on the loss's graph; variables are initialized on first use. */
  session?: Session;
  /** A float32 scalar: the mean loss of a batch. */
  loss: Tensor;
  /** The trainer calls `optimizer.minimize(loss, { globalStep })`... */
  optimizer?: Optimizer;
  /** ...or runs this training op. */
  trainOp?: Operation;
  /** Turns a dataset element (a batch) into the feeds of `session.run`. */
  feeds: (batch: B) => Feeds;
  /** Float32 scalars per batch (e.g. accuracy); reported as example-weighted means. */
  metrics?: Record<string, Tensor>;
}

/**
 * The training loop as a product: `fit` runs ONE `session.run` of `[loss, trainOp, ...metrics]`
 * per batch, with validation, checkpoints, TensorBoard logs, progress, callbacks and exact
 * resume; `evaluate` and `predict` reuse the same feeds.
 *
 * @example
 * const trainer = new Trainer({ loss, optimizer: new AdamOptimizer(0.01), feeds: (b) => ({ x: b.x, y: b.y }), metrics: { accuracy } });
 * const history = await trainer.fit(train, { epochs: 10, validation: { dataset: test }, checkpointDir: 'runs/m', logdir: 'runs/m' });
 */
export class Trainer<B = unknown> implements TrainerHandle {
  readonly session: Session;
  readonly loss: Tensor;
  readonly trainOp: Operation;
  readonly metrics: Readonly<Record<string, Tensor>>;
  readonly globalStep: Variable | undefined;
  readonly feeds: (batch: B) => Feeds;
  /** `step`, `epoch`, `validation`, `checkpoint` and `end` events of every fit (step events only while someone listens). */
  readonly events$ = new Subject<TrainerEvent>();
  private run: FitRun<B> | undefined;
  private initialized = false;

  constructor(options: TrainerOptions<B>) {
    const { loss, optimizer, trainOp, feeds, metrics = {} } = options ?? ({} as TrainerOptions<B>);
    if (!(loss instanceof Tensor)) throw new InvalidArgumentError('Trainer: loss must be a Tensor');
    if (loss.dtype !== 'float32' || (loss.shape !== null && loss.shape.length !== 0)) {
      throw new InvalidArgumentError(
        `Trainer: loss '${loss.name}' must be a float32 scalar, got ${loss.dtype} with shape ${JSON.stringify(loss.shape)}`,
      );
    }
    if (typeof feeds !== 'function')
      throw new InvalidArgumentError('Trainer: feeds must be a function (batch) => feeds');
    if ((optimizer === undefined) === (trainOp === undefined))
      throw new InvalidArgumentError('Trainer: pass exactly one of optimizer or trainOp');
    for (const [name, tensor] of Object.entries(metrics)) {
      if (!(tensor instanceof Tensor) || tensor.graph !== loss.graph)
        throw new InvalidArgumentError(`Trainer: metric '${name}' must be a Tensor of the loss's graph`);
    }
    const graph: Graph = loss.graph;
    if (optimizer !== undefined) {
      this.globalStep = getOrCreateGlobalStep(graph);
      this.trainOp = optimizer.minimize(loss, { globalStep: this.globalStep });
    } else {
      if (!(trainOp instanceof Operation)) throw new InvalidArgumentError('Trainer: trainOp must be an Operation');
      this.trainOp = trainOp;
      this.globalStep = graph.getCollection<Variable>('global_step')[0];
    }
    this.session = options.session ?? new Session(graph);
    if (this.session.graph !== graph) throw new InvalidArgumentError("Trainer: session must run the loss's graph");
    this.loss = loss;
    this.metrics = { ...metrics };
    this.feeds = feeds;
  }

  /** The global step of the fit in progress (or of the last one). */
  get step(): number {
    return this.run?.step ?? 0;
  }

  /** Trains for `options.epochs` epochs (see FitOptions); resolves with the History. */
  async fit(dataset: Dataset<B>, options: FitOptions<B>): Promise<History> {
    if (this.run?.active) throw new InvalidArgumentError('Trainer.fit: a fit is already running on this trainer');
    await this.initializeVariables();
    this.run = new FitRun(this, dataset, options);
    return this.run.execute();
  }

  /** Asks the running fit to stop after the current step (callbacks use it). */
  stop(reason: StopReason = 'stopped', message?: string): void {
    this.run?.requestStop(reason, message);
  }

  /** Example-weighted means of the loss and metrics over `dataset`, without training. */
  async evaluate(dataset: Dataset<B>): Promise<Record<string, number> & { loss: number }> {
    await this.initializeVariables();
    const { loss, metrics } = await evaluateBatches(this.session, dataset, this.feeds, this.loss, this.metrics);
    return { ...metrics, loss };
  }

  /** The fetched `outputs` for each batch of `dataset` (e.g. logits or class ids). */
  async *predict<O extends Tensor | Record<string, Tensor>>(
    dataset: Dataset<B>,
    outputs: O,
  ): AsyncGenerator<O extends Tensor ? NDArray : Record<keyof O, NDArray>> {
    await this.initializeVariables();
    for await (const batch of dataset) {
      yield (await this.session.run(outputs as Tensor, this.feeds(batch))) as never;
    }
  }

  /** @internal Initializes the variables this session has no value for (once). */
  async initializeVariables(): Promise<void> {
    if (this.initialized) return;
    const missing = new Set(this.session.uninitializedVariableNames());
    const initializers = globalVariables(this.session.graph)
      .filter((v) => missing.has(v.name))
      .map((v) => v.initializer);
    if (initializers.length > 0) await this.session.run(initializers);
    this.initialized = true;
  }
}
