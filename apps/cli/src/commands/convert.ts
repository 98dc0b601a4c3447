import { Dataset, type ParquetCompression, type WriteParquetOptions } from '@tsflow/data';
import { type CliIO, formatOf, positiveInt } from '../cli_io.js';
import type { ParsedArgs } from '../run_cli.js';

/** `tsflow convert IN OUT`: streams Parquet/Arrow rows into the other (or same) format. */
export async function convertCommand({ positionals, values }: ParsedArgs, io: CliIO): Promise<number> {
  const [input, output] = positionals;
  if (!input || !output) throw new Error('convert needs an input and an output file: tsflow convert <in> <out>');
  const source = formatOf(input) === 'parquet' ? Dataset.fromParquet(input) : Dataset.fromArrow(input);
  const started = performance.now();
  if (formatOf(output) === 'parquet') {
    const options: WriteParquetOptions = {};
    // writeParquet names an unknown codec.
    if (typeof values['compression'] === 'string') options.compression = values['compression'] as ParquetCompression;
    if (values['row-group-size'] !== undefined) options.rowGroupSize = positiveInt(values['row-group-size'], 'row-group-size', 0);
    await source.writeParquet(output, options);
  } else {
    const parquetOnly = ['compression', 'row-group-size'].filter((option) => values[option] !== undefined);
    if (parquetOnly.length > 0) {
      throw new Error(`${parquetOnly.map((o) => `--${o}`).join(' and ')} only appl${parquetOnly.length === 1 ? 'ies' : 'y'} to a Parquet output, not '${output}'`);
    }
    await source.writeArrow(output);
  }
  io.out(`wrote ${output} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}
