import { TsflowError } from '@tsflow/core';
import { type JobCliIO, UsageError } from './cli_args.js';
import { COMMIT_USAGE, RUN_USAGE, commitCommand, runCommand } from './local_commands.js';

export type { JobCliIO } from './cli_args.js';

export const JOB_USAGE = `usage: tsflow job <command> [options]    (tsflow job <command> --help for its options)

Batch jobs: a job module (export default defineJob({ name, inputs, pipeline, output })) run
with an exactly-once output commit (parts + _SUCCESS manifest).

commands:
  run <job.mjs> [--workers N]          N worker processes on this machine, no server (default mode)
  run <job.mjs> --shard I/N            one share of a Kubernetes Indexed Job (or --shards N with
                                       JOB_COMPLETION_INDEX); then 'commit'
  commit <job.mjs>                     write _SUCCESS once every part is there`;

const COMMANDS: Record<string, { run: (args: readonly string[], io: JobCliIO) => Promise<number>; usage: string }> = {
  run: { run: runCommand, usage: RUN_USAGE },
  commit: { run: commitCommand, usage: COMMIT_USAGE },
};

/**
 * `tsflow job ...` (argv without `job`): returns the exit code — 0 success, 1 the job or a
 * command failed (one line on stderr), 2 a usage mistake.
 */
export async function runJobCli(argv: readonly string[], io: JobCliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(JOB_USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined || !Object.hasOwn(COMMANDS, name)) {
    io.err(`tsflow job: unknown command '${name}'\n\n${JOB_USAGE}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`tsflow job ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    io.err(`tsflow job ${name}: ${error instanceof TsflowError || error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
