import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

const SERVER = process.env['TSFLOW_REDIS_SERVER'] ?? 'redis-server';

/** A free TCP port on the loopback interface. @internal */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A private redis-server (the Debian package's binary, or TSFLOW_REDIS_SERVER) as a child
 * process on a free loopback port, its data in a temp folder (append-only file, fsync always,
 * so a restart keeps every write). What the Redis tests and the benchmark run against; never
 * a system service.
 * @internal
 */
export class LocalRedisServer {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<LocalRedisServer> {
    const server = new LocalRedisServer(await freePort(), await mkdtemp(join(tmpdir(), 'tsflow-redis-')));
    await server.launch();
    return server;
  }

  /** Stops the server (SHUTDOWN-like SIGTERM: it syncs its files) and starts it again on the same port and data. */
  async restart(downMs = 0): Promise<void> {
    await this.halt();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.halt();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--daemonize',
      'no',
    ];
    const child = spawn(SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let log = '';
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    process.once('exit', () => child.kill('SIGKILL'));
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`redis-server exited at start (${child.exitCode ?? child.signalCode}):\n${log}`);
      const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      const ready = await probe.connect().then(
        () => probe.ping(),
        () => undefined,
      );
      probe.disconnect();
      if (ready === 'PONG') return;
      if (Date.now() - started > 10_000)
        throw new Error(`redis-server did not answer on port ${this.port} within 10 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async halt(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
