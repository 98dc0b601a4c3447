import { InvalidArgumentError, type NDArray } from '@tsflow/core';
import { Dataset, parquetFileInfo } from '@tsflow/data';

export interface DigitsRow {
  pixels: NDArray | number[];
  label: number;
}

export interface DigitsBatch {
  pixels: NDArray;
  label: NDArray;
}

/**
 * The digits rows split into training and held-out rows: every `heldOutEvery`-th row is held
 * out. The fixture is ordered by writer in class-cycling blocks, so this takes a fifth of every
 * writer and class; a plain head/tail split would test on writers never seen in training.
 */
export async function splitDigits(
  dataPath: string,
  heldOutEvery: number,
): Promise<{ train: Dataset<DigitsRow>; heldOut: Dataset<DigitsRow>; rows: number }> {
  const { numRows } = await parquetFileInfo(dataPath);
  if (!(Number.isInteger(heldOutEvery) && heldOutEvery >= 2 && heldOutEvery <= numRows)) {
    throw new InvalidArgumentError(
      `digits: heldOutEvery must be an integer from 2 to ${numRows} ('${dataPath}' has ${numRows} rows), got ${heldOutEvery}`,
    );
  }
  const rows = Dataset.fromParquet(dataPath, { columns: ['pixels', 'label'] }).enumerate() as unknown as Dataset<
    [number, DigitsRow]
  >;
  const pick = (heldOut: boolean) =>
    rows.filter(([i]) => (i % heldOutEvery === heldOutEvery - 1) === heldOut).map(([, row]) => row);
  return { train: pick(false), heldOut: pick(true), rows: numRows };
}

/** Mean and standard deviation of every pixel of `rows` (the training split only: no peeking at held-out data). */
export async function pixelStatistics(rows: Dataset<DigitsRow>): Promise<{ mean: number; std: number }> {
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  for await (const batch of rows.batch(512) as unknown as Dataset<DigitsBatch>) {
    for (const v of batch.pixels.data) {
      sum += v;
      sumSquares += v * v;
    }
    count += batch.pixels.size;
  }
  const mean = sum / count;
  return { mean, std: Math.sqrt(Math.max(sumSquares / count - mean * mean, 1e-12)) };
}
