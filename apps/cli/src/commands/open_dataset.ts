import { NotFoundError } from '@tsflow/core';
import { type ColumnTypeName, Dataset } from '@tsflow/data';
import { openCsv } from '../csv/csv_dataset.js';
import { type FileFormat, inputFormatOf } from '../file_format.js';

/** An input file opened as rows, with its format and, for CSV, the column types its rows follow. */
export interface OpenedInput {
  dataset: Dataset<Record<string, unknown>>;
  format: FileFormat;
  /** CSV only: sampled (or `--schema`-stated) column types, for the writer. */
  csvTypes?: Record<string, ColumnTypeName>;
}

export interface OpenOptions {
  columns?: readonly string[];
  /** Stated CSV column types (`--schema`); other columns are sampled. */
  csvSchema?: Readonly<Record<string, ColumnTypeName>>;
}

/** A Parquet, Arrow IPC or CSV file as a Dataset of rows, its format told by its first bytes. */
export async function openInput(file: string, options: OpenOptions = {}): Promise<OpenedInput> {
  const format = await inputFormatOf(file);
  const { columns } = options;
  if (format === 'parquet')
    return { format, dataset: Dataset.fromParquet(file, columns ? { columns: [...columns] } : {}) };
  if (format === 'arrow') return { format, dataset: Dataset.fromArrow(file, columns ? { columns: [...columns] } : {}) };
  const csv = await openCsv(file, options.csvSchema ? { schema: options.csvSchema } : {});
  const dataset = columns ? csv.dataset.map((row) => pick(row, columns, file)) : csv.dataset;
  return { format, dataset, csvTypes: csv.schema };
}

function pick(row: Record<string, unknown>, columns: readonly string[], file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    if (!(column in row))
      throw new NotFoundError(
        `column '${column}' does not exist in '${file}'; its columns are ${Object.keys(row).join(', ')}`,
      );
    out[column] = row[column];
  }
  return out;
}
