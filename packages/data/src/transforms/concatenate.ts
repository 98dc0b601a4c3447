import {
  END_OF_SEQUENCE,
  NOT_READY,
  type Stage,
  type StageIterator,
  type StageState,
  type SyncPull,
} from '../pipeline/stage.js';
import { PullIterator } from '../pipeline/pull.js';
import { badState, readUpstream } from '../pipeline/state_fields.js';
import { closeInBackground } from '../pipeline/close_quietly.js';

/** `a.concatenate(b)`: all of `a`, then all of `b`. */
export class ConcatenateStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label = 'Concatenate';

  constructor(first: Stage<T>, second: Stage<T>) {
    this.upstream = [first, second];
  }

  open(state?: StageState): StageIterator<T> {
    const part = state === undefined ? 0 : state.part;
    if (part !== 0 && part !== 1 && part !== 2)
      throw badState(this.label, `field 'part' should be 0, 1 or 2, got ${JSON.stringify(part)}`);
    const upstreamState = state === undefined ? undefined : readUpstream(state, 'upstream', this.label);
    return new ConcatenateIterator(this.upstream as readonly Stage<T>[], part, upstreamState);
  }
}

class ConcatenateIterator<T> extends PullIterator<T> {
  private current: StageIterator<T> | undefined;

  constructor(
    private readonly inputs: readonly Stage<T>[],
    private part: number,
    upstreamState: StageState | undefined,
  ) {
    super();
    this.current = part < inputs.length ? inputs[part]!.open(upstreamState) : undefined;
  }

  nextSync(): SyncPull<T> {
    for (;;) {
      const current = this.current;
      if (current === undefined) return END_OF_SEQUENCE;
      if (current.nextSync === undefined) return NOT_READY;
      const value = current.nextSync();
      if (value !== END_OF_SEQUENCE) return value;
      this.advance();
    }
  }

  protected async nextAsync(): Promise<T | typeof END_OF_SEQUENCE> {
    for (;;) {
      const current = this.current;
      if (current === undefined) return END_OF_SEQUENCE;
      const result = await current.next();
      if (!result.done) return result.value;
      this.advance();
      const ready = this.nextSync();
      if (ready !== NOT_READY) return ready;
    }
  }

  private advance(): void {
    closeInBackground(this.current!);
    this.part++;
    this.current = this.part < this.inputs.length ? this.inputs[this.part]!.open() : undefined;
  }

  override whenReady(): Promise<void> | undefined {
    return this.current?.whenReady?.();
  }

  saveState(): StageState {
    if (this.current === undefined) return { part: this.inputs.length, upstream: null };
    return { part: this.part, upstream: this.current.saveState() };
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current !== undefined) await current.close();
  }
}
