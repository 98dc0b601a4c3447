import type { Command } from 'commander';
import { type CliIO, commaList, positiveInt } from '../cli_io.js';
import { toJsonLine } from './json_line.js';
import { openInput } from './open_dataset.js';

/** `tsflow head FILE [-n ROWS] [--columns a,b]`: the first rows as JSON lines. */
export function registerHead(program: Command, io: CliIO): void {
  program
    .command('head')
    .description('print the first rows of a Parquet, Arrow IPC or CSV file as JSON lines')
    .argument('<file>', 'a Parquet or Arrow IPC file (told by its first bytes), or a .csv/.tsv (.gz) file')
    .option('-n, --lines <rows>', 'how many rows to print (default 5)')
    .option('--columns <a,b>', 'print only these columns, in this order')
    .action(async (file: string, options: { lines?: string; columns?: string }) => {
      const rows = positiveInt(options.lines, '--lines', 5);
      const columns = commaList(options.columns, '--columns');
      const { dataset } = await openInput(file, columns ? { columns } : {});
      // Streamed: a reader that stops early (`| head -1`) ends the run without reading the rest.
      for await (const row of dataset.take(rows)) io.out(toJsonLine(row));
    });
}
