import { InvalidArgumentError } from '@tsflow/core';
import { END_OF_SEQUENCE, type Stage, type StageIterator, type StageState, type SyncPull } from '../pipeline/stage.js';
import { PullIterator } from '../pipeline/pull.js';
import { readCount } from '../pipeline/state_fields.js';

/** `Dataset.range`: start, start + step, ... up to (excluding) stop, like Python's range. */
export class RangeStage implements Stage<number> {
  readonly upstream = [];
  readonly label: string;
  private readonly length: number;

  constructor(
    private readonly start: number,
    stop: number,
    private readonly step: number,
  ) {
    for (const [name, value] of [['start', start], ['stop', stop], ['step', step]] as const) {
      if (!Number.isFinite(value)) throw new InvalidArgumentError(`range: ${name} must be a finite number, got ${value}`);
    }
    if (step === 0) throw new InvalidArgumentError('range: step must not be zero');
    this.length = Math.max(0, Math.ceil((stop - start) / step));
    this.label = step === 1 ? `Range(${start}, ${stop})` : `Range(${start}, ${stop}, ${step})`;
  }

  open(state?: StageState): StageIterator<number> {
    const position = state === undefined ? 0 : readCount(state, 'position', this.label);
    return new RangeIterator(this.start, this.step, this.length, position);
  }
}

class RangeIterator extends PullIterator<number> {
  constructor(
    private readonly start: number,
    private readonly step: number,
    private readonly length: number,
    private position: number,
  ) {
    super();
  }

  nextSync(): SyncPull<number> {
    if (this.position >= this.length) return END_OF_SEQUENCE;
    return this.start + this.step * this.position++;
  }

  protected nextAsync(): Promise<typeof END_OF_SEQUENCE> {
    // nextSync never answers NOT_READY; this exists only to satisfy the base class.
    return Promise.resolve(END_OF_SEQUENCE);
  }

  saveState(): StageState {
    return { position: this.position };
  }

  async close(): Promise<void> {
    this.position = this.length;
  }
}
