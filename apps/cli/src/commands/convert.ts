import type { ParquetCompression, WriteParquetOptions } from '@tsflow/data';
import type { Command } from 'commander';
import { type CliIO, UsageError, positiveInt } from '../cli_io.js';
import { outputFormatOf } from '../file_format.js';
import { openDataset } from './open_dataset.js';
import { refuseSameFile } from './same_file.js';

interface ConvertOptions {
  compression?: string;
  rowGroupSize?: string;
}

/** `tsflow convert IN OUT`: streams Parquet/Arrow rows into the other (or same) format. */
export function registerConvert(program: Command, io: CliIO): void {
  program
    .command('convert')
    .description('stream a Parquet or Arrow IPC file into Parquet or Arrow IPC (the output format from its extension)')
    .argument('<in>', 'a Parquet or Arrow IPC file (told by its first bytes)')
    .argument('<out>', 'the file to write: .parquet, or .arrow/.ipc/.feather (IPC file) / .arrows (IPC stream)')
    .option('--compression <codec>', 'Parquet codec: snappy (default), zstd, gzip, brotli, lz4 or none')
    .option('--row-group-size <rows>', 'rows per Parquet row group (default 65536)')
    .action(async (input: string, output: string, options: ConvertOptions) => {
      const format = outputFormatOf(output);
      if (format !== 'parquet') {
        const parquetOnly = (['compression', 'rowGroupSize'] as const).filter((o) => options[o] !== undefined);
        if (parquetOnly.length > 0) {
          const names = parquetOnly.map((o) => (o === 'compression' ? '--compression' : '--row-group-size'));
          throw new UsageError(`${names.join(' and ')} only appl${names.length === 1 ? 'ies' : 'y'} to a Parquet output, not '${output}'`);
        }
      }
      await refuseSameFile(input, output);
      const source = await openDataset(input);
      const started = performance.now();
      if (format === 'parquet') {
        const writeOptions: WriteParquetOptions = { rowGroupSize: positiveInt(options.rowGroupSize, '--row-group-size', 65_536) };
        // writeParquet names an unknown codec.
        if (options.compression !== undefined) writeOptions.compression = options.compression as ParquetCompression;
        await source.writeParquet(output, writeOptions);
      } else {
        await source.writeArrow(output, { format: /\.arrows$/i.test(output) ? 'stream' : 'file' });
      }
      io.out(`wrote ${output} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    });
}
