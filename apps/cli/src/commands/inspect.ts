import { NDArray, formatShape } from '@tsflow/core';
import { Dataset, parquetFileInfo } from '@tsflow/data';
import { type CliIO, formatOf } from '../cli_io.js';
import type { ParsedArgs } from '../run_cli.js';

/**
 * `tsflow inspect FILE`: rows, layout (Parquet row groups and codecs, from the footer only) and
 * what `batch(n)` yields for each column (dtype and shape of a 1-row batch).
 */
export async function inspectCommand({ positionals }: ParsedArgs, io: CliIO): Promise<number> {
  const [file] = positionals;
  if (!file) throw new Error('inspect needs a file: tsflow inspect <file.parquet|file.arrow>');
  let ds: Dataset<Record<string, unknown>>;
  if (formatOf(file) === 'parquet') {
    const info = await parquetFileInfo(file);
    io.out(`${file}: Parquet, ${info.numRows} rows, ${info.rowGroups.length} row groups, ${formatBytes(info.fileSize)}`);
    info.rowGroups.forEach((group, i) => {
      io.out(`  row group ${i}: ${group.numRows} rows, ${formatBytes(group.compressedBytes)} compressed, ${group.codecs.join('+')}`);
    });
    ds = Dataset.fromParquet(file);
  } else {
    ds = Dataset.fromArrow(file);
    let rows = 0;
    for await (const batch of ds.batch(65_536)) rows += batchRows(batch as Record<string, unknown>);
    io.out(`${file}: Arrow IPC, ${rows} rows`);
  }
  const [first] = (await ds.batch(SAMPLE_ROWS).take(1).toArray()) as Record<string, unknown>[];
  io.out('columns (as batch(n) yields them):');
  for (const [name, value] of Object.entries(first ?? {})) io.out(`  ${name}: ${describeColumn(value)}`);
  return 0;
}

/** Rows sampled to describe columns: enough to find a non-null value in sparse columns. */
const SAMPLE_ROWS = 64;

function describeColumn(value: unknown): string {
  if (value instanceof NDArray) return `NDArray ${value.dtype}${formatShape(value.shape).replace(/^\[\d+/, '[n')}`;
  if (Array.isArray(value)) {
    const sample = value.find((v) => v !== null && v !== undefined);
    const kind = sample === undefined ? 'null' : sample instanceof Date ? 'Date' : Array.isArray(sample) ? 'array' : typeof sample;
    const nulls = value.some((v) => v === null) ? ' or null' : '';
    return `array of ${kind}${nulls} (one per row)`;
  }
  return typeof value;
}

function batchRows(batch: Record<string, unknown>): number {
  for (const value of Object.values(batch)) {
    if (value instanceof NDArray) return value.shape[0] ?? 0;
    if (Array.isArray(value)) return value.length;
  }
  return 0;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
