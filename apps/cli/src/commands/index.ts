import type { Command } from 'commander';
import type { CliIO } from '../cli_io.js';
import { registerConvert } from './convert.js';
import { registerGraph } from './graph.js';
import { registerHead } from './head.js';
import { registerInspect } from './inspect.js';
import { registerJob } from './job.js';
import { registerTrain } from './train.js';
import { registerEvents } from './events.js';

/**
 * Adds one command (its arguments, options, help text and action) to the `tsflow` program.
 * Actions write through `io` and throw on failure: `UsageError` for a wrong command line
 * (exit 2 with the usage line), anything else exits 1 with the error's message.
 */
export type RegisterCommand = (program: Command, io: CliIO) => void;

/** Every `tsflow` command, in the order `tsflow --help` lists them. Adding one: its file + one line here. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerInspect,
  registerHead,
  registerConvert,
  registerGraph,
  registerTrain,
  registerEvents,
  registerJob,
];
