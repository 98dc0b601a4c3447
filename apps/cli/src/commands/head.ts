import { Dataset } from '@tsflow/data';
import { type CliIO, formatOf, positiveInt } from '../cli_io.js';
import type { ParsedArgs } from '../run_cli.js';
import { toJsonLine } from './json_line.js';

/** `tsflow head FILE [-n ROWS] [--columns a,b]`: the first rows as JSON lines. */
export async function headCommand({ positionals, values }: ParsedArgs, io: CliIO): Promise<number> {
  const [file] = positionals;
  if (!file) throw new Error('head needs a file: tsflow head <file.parquet|file.arrow>');
  const rows = positiveInt(values['n'], 'n', 5);
  const columns = typeof values['columns'] === 'string' ? values['columns'].split(',').map((c) => c.trim()) : undefined;
  const format = formatOf(file);
  const ds: Dataset<Record<string, unknown>> =
    format === 'parquet'
      ? Dataset.fromParquet(file, columns ? { columns } : {})
      : columns
        ? Dataset.fromArrow(file).map((row: Record<string, unknown>) => pick(row, columns))
        : Dataset.fromArrow(file);
  for (const row of await ds.take(rows).toArray()) io.out(toJsonLine(row));
  return 0;
}

function pick(row: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    if (!(c in row)) throw new Error(`column '${c}' not found; columns are ${Object.keys(row).join(', ')}`);
    out[c] = row[c];
  }
  return out;
}
