import { Dataset } from '@tsflow/data';
import { inputFormatOf } from '../file_format.js';

/** A Parquet or Arrow IPC file as a Dataset of rows, its format told by its first bytes. */
export async function openDataset(file: string, columns?: readonly string[]): Promise<Dataset<Record<string, unknown>>> {
  const format = await inputFormatOf(file);
  if (format === 'parquet') return Dataset.fromParquet(file, columns ? { columns: [...columns] } : {});
  if (format === 'arrow') return Dataset.fromArrow(file, columns ? { columns: [...columns] } : {});
  throw new Error(`'${file}' is CSV: this command reads Parquet and Arrow IPC files`);
}
