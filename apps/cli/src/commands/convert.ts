import {
  type JobProgressOptions,
  type ParquetCompression,
  type SinkSchema,
  type WriteParquetOptions,
  type WriteResult,
  formatBytes,
} from '@tsflow/data';
import type { Command } from 'commander';
import { type CliIO, UsageError, positiveInt } from '../cli_io.js';
import { parseSchemaOption } from '../csv/csv_types.js';
import { outputFormatOf } from '../file_format.js';
import { openInput } from './open_dataset.js';
import { refuseSameFile } from './same_file.js';

interface ConvertOptions {
  compression?: string;
  rowGroupSize?: string;
  schema?: string;
  progress?: boolean;
}

/** `tsflow convert IN OUT`: streams Parquet/Arrow/CSV rows into Parquet or Arrow IPC. */
export function registerConvert(program: Command, io: CliIO): void {
  program
    .command('convert')
    .description(
      'stream a Parquet, Arrow IPC or CSV file into Parquet or Arrow IPC (the output format from its extension), keeping column types',
    )
    .argument(
      '<in>',
      'a Parquet or Arrow IPC file (told by its first bytes), or a .csv/.tsv (.gz) file with a header line',
    )
    .argument('<out>', 'the file to write: .parquet, or .arrow/.ipc/.feather (IPC file) / .arrows (IPC stream)')
    .option('--compression <codec>', 'Parquet codec: snappy (default), zstd, gzip, brotli, lz4 or none')
    .option('--row-group-size <rows>', 'rows per Parquet row group (default 65536)')
    .option(
      '--schema <col:type,...>',
      'output types of named columns, e.g. id:int64,score:float32 (CSV: the others are sampled from the first 1000 rows)',
    )
    .option('--progress', 'show progress (default: on a terminal)')
    .option('--no-progress', 'show no progress')
    .action(async (input: string, output: string, options: ConvertOptions) => {
      const format = outputFormatOf(output);
      if (format !== 'parquet') refuseParquetOnly(options, output);
      const stated = options.schema === undefined ? undefined : parseSchemaOption(options.schema);
      await refuseSameFile(input, output);
      const source = await openInput(input, stated ? { csvSchema: stated } : {});
      const schema: SinkSchema | undefined = source.csvTypes ?? stated;
      const shared = { ...(schema ? { schema } : {}), ...progressOptions(options.progress, io) };
      let result: WriteResult;
      if (format === 'parquet') {
        const writeOptions: WriteParquetOptions = {
          ...shared,
          rowGroupSize: positiveInt(options.rowGroupSize, '--row-group-size', 65_536),
        };
        // writeParquet names an unknown codec.
        if (options.compression !== undefined) writeOptions.compression = options.compression as ParquetCompression;
        result = await source.dataset.writeParquet(output, writeOptions);
      } else {
        result = await source.dataset.writeArrow(output, {
          ...shared,
          format: /\.arrows$/i.test(output) ? 'stream' : 'file',
        });
      }
      io.out(`wrote ${output}: ${result.rows} rows, ${formatBytes(result.bytes)} in ${result.seconds.toFixed(2)} s`);
    });
}

function refuseParquetOnly(options: ConvertOptions, output: string): void {
  const names = [
    options.compression !== undefined ? '--compression' : '',
    options.rowGroupSize !== undefined ? '--row-group-size' : '',
  ].filter(Boolean);
  if (names.length > 0)
    throw new UsageError(
      `${names.join(' and ')} only appl${names.length === 1 ? 'ies' : 'y'} to a Parquet output, not '${output}'`,
    );
}

/** Progress by default on a terminal (a bar), forced with --progress, off with --no-progress. */
function progressOptions(requested: boolean | undefined, io: CliIO): JobProgressOptions {
  const stream = io.progress;
  if (stream === undefined || requested === false) return {};
  if (requested === undefined && stream.isTTY !== true) return {};
  return { progress: 'auto', progressStream: stream };
}
