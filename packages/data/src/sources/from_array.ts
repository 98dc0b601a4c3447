import { IndexedStage } from '../pipeline/indexed_stage.js';

/** `Dataset.fromArray`: the items of an array, in order (the array is not copied). */
export class ArrayStage<T> extends IndexedStage<T> {
  constructor(items: readonly T[], label = `FromArray(${items.length})`) {
    super(items.length, (index) => items[index]!, label);
  }
}
