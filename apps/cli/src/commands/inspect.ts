import { NDArray, formatShape } from '@tsflow/core';
import { type Dataset, formatBytes, parquetFileInfo } from '@tsflow/data';
import type { Command } from 'commander';
import type { CliIO } from '../cli_io.js';
import { openInput } from './open_dataset.js';

/**
 * `tsflow inspect FILE`: rows, layout (Parquet row groups and codecs, from the footer only) and
 * what `batch(n)` yields for each column (dtype and shape of a 1-row batch).
 */
export function registerInspect(program: Command, io: CliIO): void {
  program
    .command('inspect')
    .description('rows, row groups, codecs, and each column as batch(n) yields it')
    .argument('<file>', 'a Parquet or Arrow IPC file (told by its first bytes), or a .csv/.tsv (.gz) file')
    .action(async (file: string) => {
      const { dataset: ds, format, csvTypes } = await openInput(file);
      if (format === 'csv') {
        io.out(`${file}: CSV, ${await ds.count()} rows`);
        io.out('column types (sampled from the first 1000 rows; state others with convert --schema):');
        for (const [name, type] of Object.entries(csvTypes ?? {})) io.out(`  ${name}: ${type}`);
      } else if (format === 'parquet') {
        const info = await parquetFileInfo(file);
        io.out(
          `${file}: Parquet, ${info.numRows} rows, ${info.rowGroups.length} row groups, ${formatBytes(info.fileSize)}`,
        );
        info.rowGroups.forEach((group, i) => {
          io.out(
            `  row group ${i}: ${group.numRows} rows, ${formatBytes(group.compressedBytes)} compressed, ${group.codecs.join('+')}`,
          );
        });
      } else {
        let rows = 0;
        for await (const batch of ds.batch(65_536)) rows += batchRows(batch as Record<string, unknown>);
        io.out(`${file}: Arrow IPC, ${rows} rows`);
      }
      io.out('columns (as batch(n) yields them):');
      for (const [name, value] of Object.entries(await firstBatch(ds))) io.out(`  ${name}: ${describeColumn(value)}`);
    });
}

/** Rows sampled to describe columns: enough to find a non-null value in sparse columns. */
const SAMPLE_ROWS = 64;

async function firstBatch(ds: Dataset<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const [first] = (await ds.batch(SAMPLE_ROWS).take(1).toArray()) as Record<string, unknown>[];
  return first ?? {};
}

function describeColumn(value: unknown): string {
  if (value instanceof NDArray) return `NDArray ${value.dtype}${formatShape(value.shape).replace(/^\[\d+/, '[n')}`;
  if (Array.isArray(value)) {
    const sample = value.find((v) => v !== null && v !== undefined);
    const kind =
      sample === undefined ? 'null' : sample instanceof Date ? 'Date' : Array.isArray(sample) ? 'array' : typeof sample;
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
