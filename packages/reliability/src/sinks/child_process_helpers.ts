import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./atomic_child.mjs', import.meta.url));

export interface WriterChild {
  child: ChildProcess;
  /** The temporary path the child is writing, once it printed it. */
  tmpPath: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Starts `atomic_child.mjs` writing `target` forever ('hang' or 'listen' mode). */
export function startWriterChild(target: string, mode: 'hang' | 'listen' = 'hang'): WriterChild {
  const child = spawn(process.execPath, [SCRIPT, target, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const tmpPath = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.split('\n')[0]!);
    });
    child.on('exit', () => reject(new Error(`writer child exited before writing: ${output}`)));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, tmpPath, exited, output: () => output };
}

/** Runs one write in a child process (optionally as another user or under a shell prefix) and returns its JSON report. */
export function reportChildWrite(
  target: string,
  mode: 'report' | 'emfile',
  options: { uid?: number; fileLimit?: number } = {},
): { ok?: boolean; name?: string; message?: string } {
  const command = `${options.fileLimit === undefined ? '' : `ulimit -n ${options.fileLimit} && `}exec "$0" "$@"`;
  const stdout = execFileSync('/bin/sh', ['-c', command, process.execPath, SCRIPT, target, mode], {
    encoding: 'utf8',
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { ok?: boolean; name?: string; message?: string };
}
