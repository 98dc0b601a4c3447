import { InvalidArgumentError, NDArray } from '@tsflow/core';
import { Dataset } from '@tsflow/data';
import { isParquet } from './load_train_config.js';
import type { TrainConfig } from './train_config.js';

/** What the config trainer feeds: a float32 feature matrix and int32 class ids. */
export interface FeatureBatch {
  features: NDArray;
  labels: NDArray;
}

type Row = Record<string, unknown>;

/** The config's rows (only the used columns), read from Parquet or Arrow files in order. */
export function configRows(config: TrainConfig): Dataset<Row> {
  const columns = [...config.features, config.label];
  if (isParquet(config.data)) return Dataset.fromParquet(config.data, { columns }) as unknown as Dataset<Row>;
  const parts = config.data.map((file) => Dataset.fromArrow(file) as unknown as Dataset<Row>);
  return parts.slice(1).reduce((all, part) => all.concatenate(part), parts[0]!);
}

/** Training and held-out rows: every `heldOutEvery`-th row is held out (none when 0). */
export function splitRows(
  rows: Dataset<Row>,
  heldOutEvery: number,
): { train: Dataset<Row>; heldOut: Dataset<Row> | undefined } {
  if (heldOutEvery === 0) return { train: rows, heldOut: undefined };
  const numbered = rows.enumerate() as unknown as Dataset<[number, Row]>;
  const pick = (heldOut: boolean) =>
    numbered.filter(([i]) => (i % heldOutEvery === heldOutEvery - 1) === heldOut).map(([, row]) => row);
  return { train: pick(false), heldOut: pick(true) };
}

/** Turns a batch of rows (columns as NDArrays) into `{ features [n, k], labels [n] }`. */
export function toFeatureBatch(config: TrainConfig, classes: number): (batch: Row) => FeatureBatch {
  return (batch) => {
    const parts = config.features.map((name) => asMatrix(batch[name], name));
    const n = parts[0]!.rows;
    const width = parts.reduce((sum, p) => sum + p.width, 0);
    const out = new Float32Array(n * width);
    let offset = 0;
    for (const part of parts) {
      for (let r = 0; r < n; r++)
        for (let c = 0; c < part.width; c++) out[r * width + offset + c] = part.data[r * part.width + c]!;
      offset += part.width;
    }
    const labelColumn = asMatrix(batch[config.label], config.label);
    const labels = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const value = labelColumn.data[r]!;
      if (!Number.isInteger(value) || value < 0 || value >= classes) {
        throw new InvalidArgumentError(
          `config: label '${config.label}' must be an integer class from 0 to ${classes - 1}, got ${value}`,
        );
      }
      labels[r] = value;
    }
    return { features: new NDArray('float32', [n, width], out), labels: new NDArray('int32', [n], labels) };
  };
}

function asMatrix(column: unknown, name: string): { rows: number; width: number; data: ArrayLike<number> } {
  if (!(column instanceof NDArray) || column.rank < 1 || column.rank > 2) {
    throw new InvalidArgumentError(
      `config: column '${name}' must be numeric (one number or a fixed-size list per row)`,
    );
  }
  return { rows: column.shape[0]!, width: column.shape[1] ?? 1, data: column.data };
}
