import { END_OF_SEQUENCE, NOT_READY, type Stage, type StageIterator, type StageState, type SyncPull } from './stage.js';
import { DONE_RESULT, isThenable } from './pull.js';
import { decodeElement, encodeElement } from './element_codec.js';
import { stageFailure } from './stage_errors.js';
import { badState } from './state_fields.js';

/** See `pullLoop`: consecutive wake-ups without an element before falling back to `next()`. */
const MAX_IDLE_WAKEUPS = 1024;

/** Starts the work for one element: a value, or a promise of it. */
export type StartFn<T, U> = (element: T) => U | PromiseLike<U>;

interface Slot<T, U> {
  /** The upstream element this slot works on (kept until delivered, for saveState). */
  input: T;
  settled: boolean;
  ok: boolean;
  value: U | undefined;
  error: unknown;
}

/**
 * Runs ahead of the consumer: keeps up to `capacity` elements pulled from upstream and their
 * work (`start`) in flight, delivering results in input order (or as they finish when
 * `ordered` is false). Used by `prefetch` (start = identity), parallel `map` and
 * `mapInWorkers`. Memory is bounded by `capacity`; the upstream is only pulled when a slot is
 * free (backpressure). Its saved state is the upstream's (which covers a pull in flight) plus
 * the inputs of the slots not yet delivered; a resumed pass runs those inputs again first.
 * Nothing is recorded per element, so running ahead costs no state bookkeeping.
 */
export class AheadIterator<T, U> implements StageIterator<U> {
  private readonly slots: Slot<T, U>[] = [];
  private pulling = false;
  private upstreamEnded = false;
  private upstreamError: unknown;
  private wake: (() => void) | undefined;
  private closed = false;
  private pullInFlight = false;
  private stateBeforePull: StageState | Error | undefined;
  private unsaveable: Error | undefined;

  constructor(
    private readonly stage: Stage<unknown>,
    private readonly input: StageIterator<T>,
    private readonly start: StartFn<T, U>,
    private readonly capacity: number,
    private readonly ordered: boolean,
    private readonly onClose?: () => Promise<void>,
    /** Inputs that were in flight when the state this pass resumes from was saved. */
    private readonly replay: T[] = [],
  ) {}

  nextSync(): SyncPull<U> {
    if (this.closed) return END_OF_SEQUENCE;
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
      await this.whenReady();
    }
  }

  /** Whether `takeSettled` would return a slot (must match it, or waiters would spin). */
  private hasDeliverable(): boolean {
    const slots = this.slots;
    if (this.ordered) return slots.length > 0 && slots[0]!.settled;
    for (let i = 0; i < slots.length; i++) if (slots[i]!.settled) return true;
    return false;
  }

  private takeSettled(): Slot<T, U> | undefined {
    const slots = this.slots;
    if (this.ordered) return slots.length > 0 && slots[0]!.settled ? slots.shift() : undefined;
    for (let i = 0; i < slots.length; i++) {
      if (slots[i]!.settled) return slots.splice(i, 1)[0];
    }
    return undefined;
  }

  private deliver(slot: Slot<T, U>): U {
    if (!slot.ok) throw stageFailure(this.stage, slot.error);
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
    // Waits that end without progress; a misreporting upstream whenReady() would otherwise
    // spin here on resolved promises, so after a few such rounds use next() instead.
    let idleWakeups = 0;
    try {
      while (!this.closed && !this.upstreamEnded && this.slots.length < this.capacity) {
        let element: T | typeof END_OF_SEQUENCE | typeof NOT_READY;
        if (this.replay.length > 0) {
          element = this.replay.shift()!;
        } else {
          element = this.input.nextSync === undefined ? NOT_READY : this.input.nextSync();
          if (element === NOT_READY) element = await this.pullSlowly(idleWakeups++ < MAX_IDLE_WAKEUPS);
        }
        if (element === NOT_READY || this.closed) continue;
        idleWakeups = 0;
        if (element === END_OF_SEQUENCE) {
          this.upstreamEnded = true;
          break;
        }
        const slot: Slot<T, U> = { input: element, settled: false, ok: false, value: undefined, error: undefined };
        this.slots.push(slot);
        this.run(slot, element);
      }
    } catch (error) {
      this.upstreamError = error;
      this.upstreamEnded = true;
    } finally {
      this.pulling = false;
      this.notify();
    }
  }

  /**
   * After upstream answered NOT_READY: waits until it is ready (then answers NOT_READY so the
   * loop pulls synchronously), or pulls with `next()`. Upstreams with `whenReady` are only
   * ever pulled synchronously, so their state stays exact; for others, their state from
   * before the pull is what `saveState` reports while it is in flight.
   */
  private async pullSlowly(mayWait: boolean): Promise<T | typeof END_OF_SEQUENCE | typeof NOT_READY> {
    const input = this.input;
    const ready = mayWait ? input.whenReady?.() : undefined;
    if (ready !== undefined) {
      await ready;
      return NOT_READY;
    }
    this.stateBeforePull = this.snapshot();
    this.pullInFlight = true;
    try {
      const result = await input.next();
      return result.done ? END_OF_SEQUENCE : result.value;
    } finally {
      this.pullInFlight = false;
      this.stateBeforePull = undefined;
    }
  }

  private snapshot(): StageState | Error {
    // An upstream that can't be saved (a generator) would throw on every pull; ask once.
    if (this.unsaveable !== undefined) return this.unsaveable;
    try {
      return this.input.saveState();
    } catch (error) {
      this.unsaveable = error instanceof Error ? error : new Error(String(error));
      return this.unsaveable;
    }
  }

  /** Settles when `nextSync()` may have something: a slot settled or the upstream ended. */
  whenReady(): Promise<void> {
    this.pump();
    if (this.closed || this.hasDeliverable() || (this.slots.length === 0 && this.upstreamEnded))
      return Promise.resolve();
    return new Promise<void>((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
    });
  }

  private run(slot: Slot<T, U>, element: T): void {
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

  private settle(slot: Slot<T, U>, ok: boolean, value: U | undefined, error: unknown): void {
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

  saveState(): StageState {
    const pending = [...this.replay, ...this.slots.map((slot) => slot.input)];
    let upstream: StageState;
    if (this.pullInFlight) {
      if (this.stateBeforePull instanceof Error) throw this.stateBeforePull;
      upstream = this.stateBeforePull!;
    } else {
      upstream = this.input.saveState();
    }
    return {
      upstream,
      pending: pending.map((element) => encodeElement(element, this.stage.label)),
    };
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

/** The in-flight inputs of a saved AheadIterator state. */
export function readPending<T>(state: StageState | undefined, label: string): T[] {
  if (state === undefined || state.pending === undefined) return [];
  if (!Array.isArray(state.pending)) throw badState(label, "field 'pending' should be an array");
  return state.pending.map(decodeElement) as T[];
}
