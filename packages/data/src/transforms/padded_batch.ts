import { InvalidArgumentError } from '@tsflow/core';
import type { Stage } from '../pipeline/stage.js';
import { padAndStack } from '../pipeline/padding.js';
import { BatchStage } from './batch.js';

export interface PaddedBatchOptions {
  /** Value for the padded positions (default 0). */
  paddingValue?: number;
  /** Drop the last batch when it is short (default false). */
  dropRemainder?: boolean;
}

/**
 * `paddedBatch(n)`: batches ragged elements, padding each dimension to the longest in the
 * batch (see `padAndStack`). It is `batch` with another way of combining the rows.
 */
export function paddedBatchStage<T>(
  input: Stage<T>,
  batchSize: number,
  options: PaddedBatchOptions = {},
): Stage<unknown> {
  const paddingValue = options.paddingValue ?? 0;
  if (typeof paddingValue !== 'number') {
    throw new InvalidArgumentError(`paddedBatch: paddingValue must be a number, got ${typeof paddingValue}`);
  }
  const label = `PaddedBatch(${batchSize})`;
  return new BatchStage(
    input,
    batchSize,
    { dropRemainder: options.dropRemainder ?? false },
    {
      label,
      combine: (rows) => padAndStack(rows, paddingValue, label),
    },
  );
}
