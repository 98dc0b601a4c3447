import { InvalidArgumentError } from '@tsflow/core';
import { IndexedStage } from '../pipeline/indexed_stage.js';

/** `Dataset.range`: start, start + step, ... up to (excluding) stop, like Python's range. */
export class RangeStage extends IndexedStage<number> {
  constructor(start: number, stop: number, step: number) {
    super(
      rangeLength(start, stop, step),
      (index) => start + step * index,
      step === 1 ? `Range(${start}, ${stop})` : `Range(${start}, ${stop}, ${step})`,
    );
  }
}

function rangeLength(start: number, stop: number, step: number): number {
  for (const [name, value] of [
    ['start', start],
    ['stop', stop],
    ['step', step],
  ] as const) {
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`range: ${name} must be a finite number, got ${value}`);
  }
  if (step === 0) throw new InvalidArgumentError('range: step must not be zero');
  return Math.max(0, Math.ceil((stop - start) / step));
}
