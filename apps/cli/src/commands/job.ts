import { runJobCli } from '@tsflow/jobs';
import type { CliIO } from '../cli_io.js';

/** `tsflow job <run|commit|submit|worker|status|wait>`: the logic and its flags live in @tsflow/jobs. */
export function jobCommand(args: readonly string[], io: CliIO): Promise<number> {
  return runJobCli(args, io);
}
