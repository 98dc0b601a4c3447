import { END_OF_SEQUENCE, NOT_READY, type Stage, type StageIterator, type StageState, type SyncPull } from '../pipeline/stage.js';
import { PullIterator, isThenable } from '../pipeline/pull.js';
import { stageFailure } from '../pipeline/stage_errors.js';
import { readUpstream } from '../pipeline/state_fields.js';

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
  ) {
    this.upstream = [input];
  }

  open(state?: StageState): StageIterator<U> {
    const upstreamState = state === undefined ? undefined : readUpstream(state, 'upstream', this.label);
    return new MapIterator(this, this.input.open(upstreamState), this.fn);
  }
}

class MapIterator<T, U> extends PullIterator<U> {
  private pending: PromiseLike<U> | undefined;

  constructor(
    private readonly stage: Stage<U>,
    private readonly input: StageIterator<T>,
    private readonly fn: MapFn<T, U>,
  ) {
    super();
  }

  nextSync(): SyncPull<U> {
    if (this.pending !== undefined) return NOT_READY;
    if (this.input.nextSync === undefined) return NOT_READY;
    const element = this.input.nextSync();
    if (element === END_OF_SEQUENCE) return END_OF_SEQUENCE;
    if (element === NOT_READY) return NOT_READY;
    return this.apply(element);
  }

  protected async nextAsync(): Promise<U | typeof END_OF_SEQUENCE> {
    let result: U | PromiseLike<U> | typeof NOT_READY;
    if (this.pending !== undefined) {
      result = this.pending;
      this.pending = undefined;
    } else {
      const upstream = await this.input.next();
      if (upstream.done) return END_OF_SEQUENCE;
      result = this.apply(upstream.value);
      if (result === NOT_READY) {
        result = this.pending!;
        this.pending = undefined;
      }
    }
    try {
      return await result;
    } catch (error) {
      throw stageFailure(this.stage, error);
    }
  }

  /** Runs `fn`; a promise result is parked in `pending` and reported as NOT_READY. */
  private apply(element: T): U | typeof NOT_READY {
    let result: U | PromiseLike<U>;
    try {
      result = this.fn(element);
    } catch (error) {
      throw stageFailure(this.stage, error);
    }
    if (isThenable(result)) {
      this.pending = result;
      return NOT_READY;
    }
    return result;
  }

  saveState(): StageState {
    return { upstream: this.input.saveState() };
  }

  close(): Promise<void> {
    return this.input.close();
  }
}
