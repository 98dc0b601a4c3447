import { END_OF_SEQUENCE, NOT_READY, type Stage, type StageIterator, type StageState, type SyncPull } from '../pipeline/stage.js';
import { DONE_RESULT, isThenable, pullAsync } from '../pipeline/pull.js';
import { stageFailure, unsaveableError } from '../pipeline/stage_errors.js';

/** Starts the work for one element: a value, or a promise of it. */
export type StartFn<T, U> = (element: T) => U | PromiseLike<U>;

interface Slot<U> {
  settled: boolean;
  ok: boolean;
  value: U | undefined;
  error: unknown;
  /** Upstream position right after this slot's input was pulled (for saveState). */
  stateAfter: StageState | undefined;
}

/**
 * Runs ahead of the consumer: keeps up to `capacity` elements pulled from upstream and their
 * work (`start`) in flight, delivering results in input order (or as they finish when
 * `ordered` is false). Used by `prefetch` (start = identity), parallel `map` and
 * `mapInWorkers`. Memory is bounded by `capacity`; the upstream is only pulled when a slot is
 * free (backpressure). Its saved state is the upstream position right after the input of the
 * last delivered element, so resuming recomputes what was in flight.
 */
export class AheadIterator<T, U> implements StageIterator<U> {
  private readonly slots: Slot<U>[] = [];
  private pulling = false;
  private upstreamEnded = false;
  private upstreamError: unknown;
  private wake: (() => void) | undefined;
  private deliveredState: StageState | undefined;
  private stateError: unknown;
  private closed = false;

  constructor(
    private readonly stage: Stage<unknown>,
    private readonly input: StageIterator<T>,
    private readonly start: StartFn<T, U>,
    private readonly capacity: number,
    private readonly ordered: boolean,
    private readonly onClose?: () => Promise<void>,
  ) {
    this.deliveredState = this.snapshot();
  }

  nextSync(): SyncPull<U> {
    this.pump();
    const slot = this.takeSettled();
    if (slot !== undefined) return this.deliver(slot);
    if (this.slots.length === 0 && this.upstreamEnded) return this.finish();
    return NOT_READY;
  }

  async next(): Promise<IteratorResult<U, undefined>> {
    for (;;) {
      const value = this.nextSync();
      if (value === END_OF_SEQUENCE) return DONE_RESULT;
      if (value !== NOT_READY) return { value, done: false };
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private takeSettled(): Slot<U> | undefined {
    const slots = this.slots;
    if (this.ordered) return slots.length > 0 && slots[0]!.settled ? slots.shift() : undefined;
    for (let i = 0; i < slots.length; i++) {
      if (slots[i]!.settled) return slots.splice(i, 1)[0];
    }
    return undefined;
  }

  private deliver(slot: Slot<U>): U {
    if (!slot.ok) throw stageFailure(this.stage, slot.error);
    this.deliveredState = slot.stateAfter;
    this.pump();
    return slot.value as U;
  }

  private finish(): typeof END_OF_SEQUENCE {
    if (this.upstreamError !== undefined) {
      const error = this.upstreamError;
      this.upstreamError = undefined;
      throw stageFailure(this.stage, error);
    }
    return END_OF_SEQUENCE;
  }

  /** Starts pulling upstream in the background if there is room and nobody is pulling. */
  private pump(): void {
    if (this.pulling || this.closed || this.upstreamEnded || this.slots.length >= this.capacity) return;
    this.pulling = true;
    void this.pullLoop();
  }

  private async pullLoop(): Promise<void> {
    try {
      while (!this.closed && !this.upstreamEnded && this.slots.length < this.capacity) {
        const pulled = pullAsync(this.input);
        const element = pulled instanceof Promise ? await pulled : pulled;
        if (this.closed) break;
        if (element === END_OF_SEQUENCE) {
          this.upstreamEnded = true;
          break;
        }
        const slot: Slot<U> = { settled: false, ok: false, value: undefined, error: undefined, stateAfter: this.snapshot() };
        this.slots.push(slot);
        this.run(slot, element as T);
      }
    } catch (error) {
      this.upstreamError = error;
      this.upstreamEnded = true;
    } finally {
      this.pulling = false;
      this.notify();
    }
  }

  private run(slot: Slot<U>, element: T): void {
    let result: U | PromiseLike<U>;
    try {
      result = this.start(element);
    } catch (error) {
      this.settle(slot, false, undefined, error);
      return;
    }
    if (!isThenable(result)) {
      this.settle(slot, true, result, undefined);
      return;
    }
    Promise.resolve(result).then(
      (value) => this.settle(slot, true, value, undefined),
      (error: unknown) => this.settle(slot, false, undefined, error ?? new Error('rejected without a reason')),
    );
  }

  private settle(slot: Slot<U>, ok: boolean, value: U | undefined, error: unknown): void {
    slot.settled = true;
    slot.ok = ok;
    slot.value = value;
    slot.error = error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Upstream state now; remembers (instead of throwing) when upstream can't be saved. */
  private snapshot(): StageState | undefined {
    if (this.stateError !== undefined) return undefined;
    try {
      return this.input.saveState();
    } catch (error) {
      this.stateError = error;
      return undefined;
    }
  }

  saveState(): StageState {
    if (!this.ordered) {
      throw unsaveableError(this.stage, 'with ordered: false elements are delivered out of order, so no position describes the pass');
    }
    if (this.stateError !== undefined) throw this.stateError;
    return { upstream: this.deliveredState ?? null };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.slots.length = 0;
    this.notify();
    try {
      await this.input.close();
    } finally {
      if (this.onClose !== undefined) await this.onClose();
    }
  }
}
