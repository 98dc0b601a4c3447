import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JOBS_DIST_URL } from './job_fixtures.js';

/** A `tsflow job worker` equivalent in a child process (the built package), killable by the test. */
export class WorkerProcess {
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly output: () => string,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  /** Starts a worker and resolves once it is connected and waiting for tasks. */
  static async start(dir: string, url: string, name: string, lockMs = 3000): Promise<WorkerProcess> {
    const script = join(dir, 'worker-main.mjs');
    await writeFile(
      script,
      `import { startJobWorker } from '${JOBS_DIST_URL}';
const [url, name, lockMs] = process.argv.slice(2);
const worker = await startJobWorker({ redis: url, name, lockMs: Number(lockMs) });
process.on('SIGTERM', () => worker.close().then(() => process.exit(0)));
console.log('ready');
`,
    );
    const child = spawn(process.execPath, [script, url, name, String(lockMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    process.once('exit', () => child.kill('SIGKILL'));
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}) before it was ready:\n${log}`)));
    });
    return new WorkerProcess(name, child, () => log);
  }

  /** Stops the worker; SIGKILL gives no chance to finish or release anything. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}
