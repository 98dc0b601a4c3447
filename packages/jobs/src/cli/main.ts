#!/usr/bin/env node
// `tsflow-job <command>`: the job commands on their own (what `tsflow job` runs), for worker
// hosts that install only @tsflow/jobs.
import { runJobCli } from './job_cli.js';

process.stdout.on('error', () => process.exit(0)); // quiet on a closed pipe
process.exitCode = await runJobCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
