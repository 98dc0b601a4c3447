import type { Stage } from '../pipeline/stage.js';
import { InterleaveStage } from './interleave.js';

/**
 * `flatMap(fn)`: maps each element to a dataset and concatenates them. It is `interleave` with
 * one inner dataset open at a time (tf.data defines it the same way), under its own label.
 */
export function flatMapStage<T, U>(input: Stage<T>, makeInner: (element: T) => Stage<U>): Stage<U> {
  return new InterleaveStage(input, makeInner, { cycleLength: 1, blockLength: 1 }, 'FlatMap');
}
