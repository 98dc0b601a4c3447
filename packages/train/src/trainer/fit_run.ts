import { join } from 'node:path';
import { InvalidArgumentError, type NDArray, type Tensor } from '@tsflow/core';
import { type Dataset, type DatasetIterator, type ProgressReporter, createProgress } from '@tsflow/data';
import { latestCheckpoint } from '../checkpoint/checkpoint_state.js';
import { Saver, readCheckpoint } from '../checkpoint/saver.js';
import { SummaryWriter } from '../summary/summary_writer.js';
import { examplesIn, evaluateBatches } from './evaluate.js';
import { type ResolvedFitOptions, isDue, resolveFitOptions } from './fit_options.js';
import { type EpochSums, TRAINER_STATE_KEY, type TrainerState, emptySums, parseTrainerState } from './resume_state.js';
import { callEach } from './call_each.js';
import { logEpoch, logStep } from './fit_summaries.js';
import type { Callback, EpochLog, FitOptions, FitTarget, History, StepLog, StopReason } from './trainer_types.js';

/** How often the step loop lets the event loop run timers and signal handlers. */
const YIELD_EVERY_MS = 50;

/** One call of `Trainer.fit`: its position, outputs (checkpoints, logs, progress) and stop flag. */
export class FitRun<B> {
  active = false;
  step = 0;
  private readonly opts: ResolvedFitOptions;
  private readonly fetches: Tensor[];
  private readonly metricNames: string[];
  private readonly saver: Saver | undefined;
  private writer: SummaryWriter | undefined;
  private epoch = 0;
  private stepInEpoch = 0;
  /** Example-weighted running sums of the epoch in progress. */
  private lossSum = 0;
  private metricSums: Float64Array;
  private examples = 0;
  private epochSeconds = 0;
  private stepsPerEpochSeen: number | null = null;
  private history: EpochLog[] = [];
  private lastValidation: TrainerState['lastValidation'] = null;
  private iterator: DatasetIterator<B> | undefined;
  private stopReason: StopReason | undefined;
  private stopMessage: string | undefined;
  private lastCheckpoint: string | undefined;
  private lastSavedStep = -1;
  private progress: ProgressReporter | undefined;
  private readonly stepCallbacks: Callback[];
  private readonly checkNonFinite: boolean;

  constructor(
    private readonly trainer: FitTarget<B>,
    private readonly dataset: Dataset<B>,
    private readonly options: FitOptions<B>,
  ) {
    this.opts = resolveFitOptions(options as FitOptions<unknown>);
    this.metricNames = Object.keys(trainer.metrics);
    this.fetches = [trainer.loss, ...this.metricNames.map((name) => trainer.metrics[name]!)];
    this.saver = options.checkpointDir === undefined ? undefined : new Saver({ maxToKeep: options.maxToKeep ?? 5 });
    // The built-in NaN check runs inline in the step loop (a compare, no call per step).
    this.checkNonFinite = this.opts.callbacks.some((cb) => cb.kind === 'terminateOnNonFinite');
    this.stepCallbacks = this.opts.callbacks.filter(
      (cb) => cb.onStepEnd !== undefined && cb.kind !== 'terminateOnNonFinite',
    );
    this.metricSums = new Float64Array(this.metricNames.length);
  }

  requestStop(reason: StopReason, message?: string): void {
    this.stopReason ??= reason;
    this.stopMessage ??= message;
  }

  async execute(): Promise<History> {
    this.active = true;
    const { callbacks } = this.opts;
    try {
      const resumedFrom = await this.resume();
      if (this.options.logdir !== undefined) {
        this.writer = new SummaryWriter(this.options.logdir);
        if (resumedFrom === undefined) this.writer.addGraph(this.trainer.session.graph);
        // TensorBoard drops points at steps >= a START's step; this run's first new point is step + 1.
        else this.writer.addSessionLog('START', this.step + 1, resumedFrom);
      }
      await callEach(callbacks, 'onTrainBegin', this.trainer);
      while (this.epoch < this.opts.epochs && this.stopReason === undefined) await this.runEpoch();
      const history = this.finish();
      if (this.stopReason !== 'nonFinite' && this.saver !== undefined && this.lastSavedStep !== this.step)
        await this.checkpoint();
      history.checkpoint = this.lastCheckpoint;
      await callEach(callbacks, 'onTrainEnd', history, this.trainer);
      this.trainer.events$.next({ type: 'end', history });
      return history;
    } finally {
      this.progress?.stop();
      await this.writer?.close();
      await this.iterator?.return?.();
      this.active = false;
    }
  }

  /** Restores the latest (or given) checkpoint and the trainer's position in it. Returns its path. */
  private async resume(): Promise<string | undefined> {
    const { resume, checkpointDir } = this.options;
    if (resume === undefined || resume === false) return undefined;
    const path = typeof resume === 'string' ? resume : latestCheckpoint(checkpointDir!);
    if (path === null) return undefined;
    const file = await readCheckpoint(path);
    const state = parseTrainerState(file.metadata[TRAINER_STATE_KEY], path);
    await (this.saver ?? new Saver()).restore(this.trainer.session, path);
    if (state === undefined) {
      this.step = Number(file.metadata['global_step'] ?? 0);
      return path;
    }
    this.epoch = state.epoch;
    this.stepInEpoch = state.stepInEpoch;
    this.step = this.lastSavedStep = state.step;
    this.loadSums(state.sums);
    this.history = state.history;
    this.stepsPerEpochSeen = state.stepsPerEpoch;
    this.lastValidation = state.lastValidation;
    this.lastCheckpoint = path;
    if (state.iterator !== null) this.iterator = this.dataset.iterator({ state: state.iterator });
    this.opts.callbacks.forEach((cb, i) => {
      if (state.callbacks[i] !== undefined && state.callbacks[i] !== null) cb.loadState?.(state.callbacks[i]);
    });
    if (state.finished === 'earlyStopping')
      this.requestStop('earlyStopping', 'the checkpoint was written after early stopping');
    return path;
  }

  private async runEpoch(): Promise<void> {
    const { epochs, stepsPerEpoch, validateEvery, checkpointEvery, logEvery } = this.opts;
    const session = this.trainer.session;
    const started = performance.now() - this.epochSeconds * 1000;
    if (this.stepInEpoch === 0) await callEach(this.opts.callbacks, 'onEpochBegin', this.epoch, this.trainer);
    const total = stepsPerEpoch ?? this.stepsPerEpochSeen ?? undefined;
    const progress = (this.progress = createProgress({
      label: `epoch ${this.epoch + 1}/${epochs}`,
      total,
      unit: 'steps',
      rateUnit: 'examples',
      mode: this.options.progress ?? 'auto',
      ...(this.options.progressStream ? { stream: this.options.progressStream } : {}),
    }));
    const { signal } = this.options;
    const events = this.trainer.events$;
    const metricCount = this.metricNames.length;
    const metricSums = this.metricSums;
    let passEnded = false;
    let lastYield = performance.now();
    const fetches = [...this.fetches, this.trainer.trainOp];
    while (stepsPerEpoch === undefined || this.stepInEpoch < stepsPerEpoch) {
      this.iterator ??= this.dataset.iterator();
      const next = await this.iterator.next();
      if (next.done) {
        this.iterator = undefined;
        if (stepsPerEpoch === undefined || this.stepInEpoch === 0) {
          passEnded = true;
          break;
        }
        continue;
      }
      const feeds = this.trainer.feeds(next.value);
      // The hot path: ONE run of loss, metrics and the train op.
      const values = (await session.run(fetches, feeds)) as NDArray[];
      const n = examplesIn(feeds);
      const loss = values[0]!.item();
      this.lossSum += loss * n;
      for (let i = 0; i < metricCount; i++) metricSums[i]! += values[i + 1]!.item() * n;
      this.examples += n;
      this.step++;
      this.stepInEpoch++;
      this.epochSeconds = (performance.now() - started) / 1000;
      if (this.checkNonFinite && !Number.isFinite(loss)) {
        this.requestStop(
          'nonFinite',
          `step ${this.step} (epoch ${this.epoch}, step ${this.stepInEpoch} in it) gave a loss of ${loss}`,
        );
      }
      progress.update(this.stepInEpoch, this.runningFields(), this.examples);
      if (this.stepCallbacks.length > 0 || events.observed) {
        const log: StepLog = {
          step: this.step,
          epoch: this.epoch,
          stepInEpoch: this.stepInEpoch,
          loss,
          metrics: this.metricsOf(values),
          examples: n,
        };
        await callEach(this.stepCallbacks, 'onStepEnd', log, this.trainer);
        if (events.observed) events.next({ type: 'step', ...log });
      }
      if (this.writer !== undefined && this.step % logEvery === 0 && Number.isFinite(loss))
        logStep(this.writer, this.step, loss, this.metricNames, values);
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        // Sync pipelines and kernels never leave the microtask queue: give timers (the progress
        // bar, the event writer) and signal handlers (Ctrl-C) their turn.
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      if (signal?.aborted) this.requestStop('aborted', 'the AbortSignal fired');
      if (this.stopReason !== undefined) break;
      if (isDue(checkpointEvery?.steps, this.step)) await this.checkpoint();
      if (isDue(validateEvery?.steps, this.step)) await this.validate();
    }
    await this.endEpoch(passEnded);
  }

  private async endEpoch(passEnded: boolean): Promise<void> {
    const { epochs, validateEvery, checkpointEvery } = this.opts;
    const stopped = this.stopReason;
    if (this.stepInEpoch === 0 && passEnded && stopped === undefined) {
      throw new InvalidArgumentError(`Trainer.fit: the dataset yielded no batches in epoch ${this.epoch}`);
    }
    const complete =
      stopped === undefined ||
      (stopped !== 'nonFinite' && stopped !== 'aborted' && (passEnded || this.stepInEpoch === this.opts.stepsPerEpoch));
    if (complete && isDue(validateEvery?.epochs, this.epoch + 1)) await this.validate();
    const log: EpochLog = {
      epoch: this.epoch,
      loss: this.lossSum / this.examples,
      metrics: this.meansOf(),
      seconds: this.epochSeconds,
      steps: this.stepInEpoch,
      ...(this.lastValidation ? { valLoss: this.lastValidation.loss, valMetrics: this.lastValidation.metrics } : {}),
    };
    if (!complete) {
      // A stop inside the epoch: checkpoint the position first (the partial epoch is not history yet),
      // except after a non-finite loss, whose weights are not worth keeping.
      if (stopped !== 'nonFinite' && this.saver !== undefined && this.lastSavedStep !== this.step)
        await this.checkpoint();
      this.history.push(log);
      this.progress?.stop(this.validationFields());
      return;
    }
    if (passEnded || this.opts.stepsPerEpoch === undefined) this.stepsPerEpochSeen = this.stepInEpoch;
    this.progress?.stop(this.validationFields());
    this.history.push(log);
    if (this.writer !== undefined) await logEpoch(this.writer, this.trainer.session, this.step, log);
    await callEach(this.opts.callbacks, 'onEpochEnd', log, this.trainer);
    this.trainer.events$.next({ type: 'epoch', ...log });
    this.epoch++;
    this.stepInEpoch = 0;
    this.loadSums(emptySums());
    if (this.stopReason === undefined && this.epoch < epochs && this.opts.stepsPerEpoch === undefined) {
      // The next pass is opened now, so an epoch-end checkpoint holds its starting state.
      this.iterator = this.dataset.iterator();
    }
    if (isDue(checkpointEvery?.epochs, this.epoch)) await this.checkpoint();
  }

  private async validate(): Promise<void> {
    const validation = this.options.validation!;
    const result = await evaluateBatches(
      this.trainer.session,
      validation.dataset,
      this.trainer.feeds,
      this.trainer.loss,
      this.trainer.metrics,
    );
    this.lastValidation = { loss: result.loss, metrics: result.metrics };
    this.writer?.addScalar('val/loss', result.loss, this.step);
    for (const [name, value] of Object.entries(result.metrics)) this.writer?.addScalar(`val/${name}`, value, this.step);
    this.trainer.events$.next({
      type: 'validation',
      epoch: this.epoch,
      step: this.step,
      loss: result.loss,
      metrics: result.metrics,
    });
  }

  private async checkpoint(): Promise<void> {
    const state: TrainerState = {
      version: 1,
      epoch: this.epoch,
      stepInEpoch: this.stepInEpoch,
      step: this.step,
      iterator: this.iterator === undefined ? null : this.iterator.saveState(),
      sums: { examples: this.examples, loss: this.lossSum, metrics: this.sumsRecord(), seconds: this.epochSeconds },
      stepsPerEpoch: this.stepsPerEpochSeen,
      history: this.history,
      lastValidation: this.lastValidation,
      callbacks: this.opts.callbacks.map((cb) => cb.saveState?.() ?? null),
      finished: this.stopReason === 'earlyStopping' ? 'earlyStopping' : null,
    };
    const path = await this.saver!.save(this.trainer.session, join(this.options.checkpointDir!, 'model'), {
      globalStep: this.step,
      metadata: { [TRAINER_STATE_KEY]: JSON.stringify(state) },
    });
    this.lastCheckpoint = path;
    this.lastSavedStep = this.step;
    this.trainer.events$.next({ type: 'checkpoint', step: this.step, path });
  }

  private finish(): History {
    const stopReason = this.stopReason ?? 'completed';
    let message = this.stopMessage;
    if (stopReason === 'nonFinite') {
      message = `${message ?? 'a non-finite loss'}; training stopped, ${this.lastCheckpoint ? `last good checkpoint: ${this.lastCheckpoint}` : 'no checkpoint was written'}`;
      this.progress?.log(`tsflow: ${message}`);
    }
    return { epochs: this.history, steps: this.step, stopReason, ...(message === undefined ? {} : { message }) };
  }

  private runningFields(): Record<string, number> {
    const fields: Record<string, number> = { loss: this.lossSum / this.examples };
    for (let i = 0; i < this.metricNames.length; i++)
      fields[this.metricNames[i]!] = this.metricSums[i]! / this.examples;
    return fields;
  }

  private loadSums(sums: EpochSums): void {
    this.lossSum = sums.loss;
    this.examples = sums.examples;
    this.epochSeconds = sums.seconds;
    this.metricNames.forEach((name, i) => {
      this.metricSums[i] = sums.metrics[name] ?? 0;
    });
  }

  private validationFields(): Record<string, number> {
    if (this.lastValidation === null) return {};
    const fields: Record<string, number> = { val_loss: this.lastValidation.loss };
    for (const [name, value] of Object.entries(this.lastValidation.metrics)) fields[`val_${name}`] = value;
    return fields;
  }

  private metricsOf(values: NDArray[]): Record<string, number> {
    return Object.fromEntries(this.metricNames.map((name, i) => [name, values[i + 1]!.item()]));
  }

  private meansOf(): Record<string, number> {
    return Object.fromEntries(this.metricNames.map((name, i) => [name, this.metricSums[i]! / this.examples]));
  }

  private sumsRecord(): Record<string, number> {
    return Object.fromEntries(this.metricNames.map((name, i) => [name, this.metricSums[i]!]));
  }
}
