import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { type CliIO, CommandExit, UsageError } from './cli_io.js';
import { COMMANDS } from './commands/index.js';

export type { CliIO } from './cli_io.js';

/** Exit status for a wrong command line (unknown command/option, bad value), as Unix tools use. */
export const EXIT_USAGE = 2;

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Runs the CLI with `argv` (without node and script), returning the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  let running: Command = program;
  program.hook('preAction', (_root, actionCommand) => {
    running = actionCommand;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    // commander has printed its own message (and the usage line) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof CommandExit) return error.code;
    io.err(`${commandPath(running)}: ${causeFirst(error)}`);
    if (!(error instanceof UsageError)) return 1;
    if (error.options.showUsage !== false) io.err(usageLine(running));
    return EXIT_USAGE;
  }
}

/** The `tsflow` program: every command of `COMMANDS`, output through `io`, errors thrown, not exited. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('tsflow')
    .description('Inspect, convert and train on Parquet/Arrow data with tsflow.')
    .version(version, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    });
  for (const register of COMMANDS) register(program, io);
  forEachCommand(program, (command) => {
    const path = commandPath(command);
    command
      .showHelpAfterError(usageLine(command))
      // commander's "error: unknown option" becomes "tsflow head: unknown option", like ours.
      .configureOutput({
        ...command.configureOutput(),
        outputError: (text, write) => write(text.replace(/^error: /, `${path}: `)),
      });
  });
  return program;
}

function usageLine(command: Command): string {
  return `Usage: ${commandPath(command)} ${command.usage()}\nRun '${commandPath(command)} --help' for details.`;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const sub of command.commands) forEachCommand(sub, visit);
}

/**
 * The message of an error with its cause first: a pipeline error (`Error in Map (stage 2 of
 * '...'): cause`) prints the cause, then where in the pipeline it happened.
 */
function causeFirst(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { cause, message } = error as Error & { cause?: unknown; stageLabel?: unknown };
  const tagged = typeof (error as { stageLabel?: unknown }).stageLabel === 'string';
  if (!tagged || !(cause instanceof Error) || !message.endsWith(`: ${cause.message}`)) return message;
  const context = message.slice(0, message.length - cause.message.length - 2).replace(/^Error in /, '');
  return `${cause.message}\n  in ${context}`;
}
