import { parseArgs } from 'node:util';
import { convertCommand } from './commands/convert.js';
import { headCommand } from './commands/head.js';
import { inspectCommand } from './commands/inspect.js';
import { graphCommand } from './commands/graph.js';
import { trainCommand } from './commands/train.js';
import { jobCommand } from './commands/job.js';
import type { CliIO } from './cli_io.js';

export type { CliIO } from './cli_io.js';

const USAGE = `usage: tsflow <command> [options]

commands:
  inspect <file.parquet|file.arrow>                           rows, row groups, codecs, and each column as batch(n) yields it
  head <file.parquet|file.arrow> [-n ROWS] [--columns a,b]   print the first rows as JSON lines
  convert <in> <out> [--compression C] [--row-group-size N]   Parquet <-> Arrow IPC, streaming
  graph <graph.json>                                          list the ops of a saved graph
  train digits [--epochs N] [--batch-size N] [--hidden N] [--learning-rate X] [--seed N] [--device cpu|gpu|auto]
               [--data digits.parquet]                        train the example MLP on the digits fixture (or --data)
  job <command> ...                                           batch jobs with an exactly-once output (tsflow job --help)
  help                                                        this text`;

/** Runs the CLI with `argv` (without node and script), returning the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'inspect':
        return await inspectCommand(parse(rest, {}), io);
      case 'head':
        return await headCommand(parse(rest, { n: { type: 'string', short: 'n' }, columns: { type: 'string' } }), io);
      case 'convert':
        return await convertCommand(
          parse(rest, { compression: { type: 'string' }, 'row-group-size': { type: 'string' } }),
          io,
        );
      case 'graph':
        return await graphCommand(parse(rest, {}), io);
      case 'train':
        return await trainCommand(
          parse(rest, {
            epochs: { type: 'string' },
            'batch-size': { type: 'string' },
            hidden: { type: 'string' },
            'learning-rate': { type: 'string' },
            seed: { type: 'string' },
            data: { type: 'string' },
            device: { type: 'string' },
          }),
          io,
        );
      case 'job':
        return await jobCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 1 : 0;
      default:
        io.err(`tsflow: unknown command '${command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    io.err(`tsflow ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parse(args: readonly string[], options: OptionSpec): ParsedArgs {
  const { positionals, values } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  return { positionals, values: values as Record<string, string | boolean | undefined> };
}
