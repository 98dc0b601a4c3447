import {
  END_OF_SEQUENCE,
  NOT_READY,
  type Stage,
  type StageIterator,
  type StageState,
  type SyncPull,
} from '../pipeline/stage.js';
import { PullIterator, isThenable } from '../pipeline/pull.js';
import { decodeElement, encodeElement } from '../pipeline/element_codec.js';
import { stageFailure } from '../pipeline/stage_errors.js';
import { readUpstream } from '../pipeline/state_fields.js';
import { withElementTimeout } from '../pipeline/element_timeout.js';

export type MapFn<T, U> = (element: T) => U | PromiseLike<U>;

/**
 * `map(fn)` one element at a time. A synchronous `fn` stays on the sync fast path; when `fn`
 * returns a promise the element is handed over through `nextAsync`.
 */
export class MapStage<T, U> implements Stage<U> {
  readonly upstream: readonly Stage<unknown>[];

  constructor(
    private readonly input: Stage<T>,
    private readonly fn: MapFn<T, U>,
    readonly label = 'Map',
    private readonly timeoutMs?: number,
  ) {
    this.upstream = [input];
  }

  open(state?: StageState): StageIterator<U> {
    const upstreamState = state === undefined ? undefined : readUpstream(state, 'upstream', this.label);
    const iterator = new MapIterator(this, this.input.open(upstreamState), withElementTimeout(this.fn, this.timeoutMs));
    if (state !== undefined && 'pendingInput' in state) iterator.replayFirst(decodeElement(state.pendingInput) as T);
    return iterator;
  }
}

/** An element whose async result is awaited; kept until the result is taken. */
interface Parked<T, U> {
  readonly input: T;
  settled: boolean;
  ok: boolean;
  value: U | undefined;
  error: unknown;
  ready: Promise<void>;
}

class MapIterator<T, U> extends PullIterator<U> {
  /**
   * The element being mapped by an async `fn`. It stays here (and in the saved state) until
   * its result is taken by `nextSync`, so there is no moment at which it is in no state.
   */
  private parked: Parked<T, U> | undefined;
  private replayInput: { element: T } | undefined;

  constructor(
    private readonly stage: Stage<U>,
    private readonly input: StageIterator<T>,
    private readonly fn: MapFn<T, U>,
  ) {
    super();
  }

  /** Resuming: `element` was in flight when the state was saved; map it first. */
  replayFirst(element: T): void {
    this.replayInput = { element };
  }

  nextSync(): SyncPull<U> {
    const parked = this.parked;
    if (parked !== undefined) {
      if (!parked.settled) return NOT_READY;
      this.parked = undefined;
      if (!parked.ok) throw stageFailure(this.stage, parked.error);
      return parked.value as U;
    }
    if (this.replayInput !== undefined) {
      const { element } = this.replayInput;
      this.replayInput = undefined;
      return this.apply(element);
    }
    if (this.input.nextSync === undefined) return NOT_READY;
    const element = this.input.nextSync();
    if (element === END_OF_SEQUENCE) return END_OF_SEQUENCE;
    if (element === NOT_READY) return NOT_READY;
    return this.apply(element);
  }

  override whenReady(): Promise<void> | undefined {
    if (this.parked !== undefined) return this.parked.ready;
    if (this.replayInput !== undefined) return Promise.resolve();
    return this.input.whenReady?.();
  }

  protected async nextAsync(): Promise<U | typeof END_OF_SEQUENCE> {
    for (;;) {
      if (this.parked === undefined) {
        const upstream = await this.input.next();
        if (upstream.done) return END_OF_SEQUENCE;
        const value = this.apply(upstream.value);
        if (value !== NOT_READY) return value;
      }
      await this.parked!.ready;
      const value = this.nextSync();
      if (value !== NOT_READY) return value;
    }
  }

  /** Runs `fn`; a promise result is parked and reported as NOT_READY. */
  private apply(element: T): U | typeof NOT_READY {
    let result: U | PromiseLike<U>;
    try {
      result = this.fn(element);
    } catch (error) {
      throw stageFailure(this.stage, error);
    }
    if (!isThenable(result)) return result;
    const parked: Parked<T, U> = {
      input: element,
      settled: false,
      ok: false,
      value: undefined,
      error: undefined,
      ready: Promise.resolve(),
    };
    parked.ready = Promise.resolve(result).then(
      (value) => {
        parked.settled = true;
        parked.ok = true;
        parked.value = value;
      },
      (error: unknown) => {
        parked.settled = true;
        parked.error = error ?? new Error('map function rejected without a reason');
      },
    );
    this.parked = parked;
    return NOT_READY;
  }

  saveState(): StageState {
    const upstream = this.input.saveState();
    const inFlight = this.parked !== undefined ? { element: this.parked.input } : this.replayInput;
    if (inFlight === undefined) return { upstream };
    return { upstream, pendingInput: encodeElement(inFlight.element, this.stage.label) };
  }

  close(): Promise<void> {
    this.parked = undefined;
    return this.input.close();
  }
}
