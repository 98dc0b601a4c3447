import { spawn } from 'node:child_process';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset } from '@tsflow/data';
import { DuckDbChecks } from '../test_support/duckdb_checks.js';
import { JOBS_DIST_URL, tempDir } from '../test_support/job_fixtures.js';
import { LocalRedisServer as RedisServer } from '../redis/local_redis_server.js';
import { fromRedisStream } from './from_redis_stream.js';
import { rollingFileName } from './rolling_files.js';
import { writeRolling } from './write_rolling.js';

let server: RedisServer;
let redis: Redis;
let duck: DuckDbChecks;
let root: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  [server, duck, root] = await Promise.all([RedisServer.start(), DuckDbChecks.open(), tempDir('streams')]);
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  duck?.close();
  await root?.cleanup();
});

/** Appends entries { n, text } with n in [from, to). */
async function produce(stream: string, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 1000) {
    const batch = redis.pipeline();
    for (let n = start; n < Math.min(to, start + 1000); n++)
      batch.xadd(stream, '*', 'n', String(n), 'text', `entry ${n}`);
    await batch.exec();
  }
}

/** What the written files hold, as DuckDB reads them: rows, distinct ids and n, n's range. */
async function written(dir: string): Promise<Record<string, unknown>> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.parquet')).map((name) => join(dir, name));
  const source = `read_parquet([${files.map((file) => `'${file}'`).join(', ')}])`;
  return duck.query(`SELECT count(*)::INTEGER AS rows, count(DISTINCT id)::INTEGER AS ids, count(DISTINCT n)::INTEGER AS ns,
    min(n::INTEGER)::INTEGER AS first, max(n::INTEGER)::INTEGER AS last FROM ${source}`);
}

async function pendingCount(stream: string, group: string): Promise<number> {
  return Number(((await redis.xpending(stream, group)) as [number])[0]);
}

describe('Redis Streams ingest', () => {
  it('writes rolled files named by their first entry and acknowledges only what it wrote', async () => {
    await produce('plain', 0, 2500);
    const out = join(root.dir, 'plain');
    const ds = Dataset.fromRedisStream({
      url: server.url,
      stream: 'plain',
      group: 'g',
      consumer: 'c1',
      count: 300,
    }).take(2500);
    const result = await writeRolling(ds, out, { rollRows: 1000 });
    expect(result.rows).toBe(2500);
    const ids = ((await redis.xrange('plain', '-', '+')) as [string, string[]][]).map(([id]) => id);
    expect(result.files.map((file) => file.slice(out.length + 1))).toEqual(
      [0, 1000, 2000].map((i) => rollingFileName(ids[i]!, 'parquet')),
    );
    expect(await written(out)).toEqual({ rows: 2500, ids: 2500, ns: 2500, first: 0, last: 2499 });
    expect(await pendingCount('plain', 'g')).toBe(0);
  });

  it('a file committed but not acknowledged before a crash is rewritten under the same name, nothing doubled', async () => {
    await produce('crash', 0, 1000);
    const out = join(root.dir, 'crash');
    const options = { url: server.url, stream: 'crash', group: 'g', consumer: 'c1', count: 400 };
    // The "crashed" run: read 400 entries and commit the first 250 as a file, without acknowledging.
    const read = await Dataset.fromRedisStream(options).take(400).toArray();
    const first = rollingFileName(read[0]!.id, 'parquet');
    await Dataset.fromArray(read.slice(0, 250).map(({ id, fields }) => ({ id, ...fields }))).writeParquet(
      join(await mkdir(out, { recursive: true }).then(() => out), first),
    );
    const before = await stat(join(out, first));
    expect(await pendingCount('crash', 'g')).toBe(400);
    // The restarted consumer re-reads its pending entries and rewrites that file, with its own roll size.
    const result = await writeRolling(Dataset.fromRedisStream(options).take(1000), out, { rollRows: 300 });
    expect(result.files[0]).toBe(join(out, first));
    expect((await stat(join(out, first))).ino).not.toBe(before.ino);
    expect(await written(out)).toEqual({ rows: 1000, ids: 1000, ns: 1000, first: 0, last: 999 });
    expect(await pendingCount('crash', 'g')).toBe(0);
  });

  it('entries a dead consumer left unacknowledged are claimed (XAUTOCLAIM) by another, replacing its unacknowledged file', async () => {
    await produce('claim', 0, 600);
    const out = join(root.dir, 'claim');
    await mkdir(out, { recursive: true });
    const base = { url: server.url, stream: 'claim', group: 'g', count: 200, blockMs: 100 };
    // The dead consumer read 200 entries and committed the first 100 as a file, unacknowledged.
    const read = await Dataset.fromRedisStream({ ...base, consumer: 'dead' })
      .take(200)
      .toArray();
    const deadFile = rollingFileName(read[0]!.id, 'parquet');
    await Dataset.fromArray(read.slice(0, 100).map(({ id, fields }) => ({ id, ...fields }))).writeParquet(
      join(out, deadFile),
    );
    // The live one reads the 400 new entries first (the dead one's entries were touched just
    // now, so they are not idle long enough yet), then claims them.
    await redis.xclaim('claim', 'g', 'dead', 0, ...read.map((entry) => entry.id), 'JUSTID');
    const result = await writeRolling(
      Dataset.fromRedisStream({ ...base, consumer: 'alive', claimIdleMs: 1500 }).take(600),
      out,
      { rollRows: 1000 },
    );
    expect(result.rows).toBe(600);
    const ids = ((await redis.xrange('claim', '-', '+')) as [string, string[]][]).map(([id]) => id);
    // Its open file (new entries from the 201st) was rolled when the claimed entries reached the dead one's file.
    expect(result.files.map((file) => file.slice(out.length + 1))).toEqual([
      rollingFileName(ids[200]!, 'parquet'),
      deadFile,
    ]);
    expect(await written(out)).toEqual({ rows: 600, ids: 600, ns: 600, first: 0, last: 599 });
    expect(await pendingCount('claim', 'g')).toBe(0);
  });

  it('rolls a file after rollSeconds even when no entry comes, and commits the open file when stopped', async () => {
    await produce('timed', 0, 10);
    const out = join(root.dir, 'timed');
    const stop = new AbortController();
    let pulled = 0;
    const ds = Dataset.fromRedisStream({
      url: server.url,
      stream: 'timed',
      group: 'g',
      consumer: 'c1',
      blockMs: 100,
    }).map((entry) => {
      pulled++;
      return entry;
    });
    const writing = writeRolling(ds, out, { rollRows: 1000, rollSeconds: 0.3, signal: stop.signal });
    const files = async () => (await readdir(out).catch(() => [] as string[])).length;
    while ((await files()) < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulled).toBe(10);
    await produce('timed', 10, 15);
    while (pulled < 15) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    const result = await writing;
    expect(result.files).toHaveLength(2);
    expect(await written(out)).toEqual({ rows: 15, ids: 15, ns: 15, first: 0, last: 14 });
    expect(await pendingCount('timed', 'g')).toBe(0);
  });

  it('a file that fails to write acknowledges nothing: its entries stay pending for the next run', async () => {
    await produce('failing', 0, 50);
    const ds = Dataset.fromRedisStream({ url: server.url, stream: 'failing', group: 'g', consumer: 'c1' })
      .take(50)
      .map(({ id }) => ({ id, bad: Symbol('unwritable') }));
    await expect(writeRolling(ds, join(root.dir, 'failing'), { rollRows: 20 })).rejects.toThrow(
      /column 'bad': can't store a value of type symbol/,
    );
    expect(await readdir(join(root.dir, 'failing'))).toEqual([]);
    expect(await pendingCount('failing', 'g')).toBe(50);
  });

  it('back-pressure: a slow consumer keeps reading at most `count` entries ahead', async () => {
    await produce('slow', 0, 5000);
    const iterator = Dataset.fromRedisStream({
      url: server.url,
      stream: 'slow',
      group: 'g',
      consumer: 'c1',
      count: 100,
    })[Symbol.asyncIterator]();
    for (let i = 0; i < 150; i++) await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Delivered to the consumer so far: the 150 pulled, plus at most one read of 100 ahead.
    expect(await pendingCount('slow', 'g')).toBeLessThanOrEqual(200);
    await iterator.return!();
  });

  it('names bad arguments and an unreachable Redis', async () => {
    expect(() => fromRedisStream({ url: 'localhost', stream: 's', group: 'g', consumer: 'c' })).toThrow(
      /fromRedisStream: url: expected a Redis URL like redis:\/\/host:6379, got "localhost"/,
    );
    expect(() => fromRedisStream({ url: server.url, stream: '', group: 'g', consumer: 'c' })).toThrow(
      /fromRedisStream: stream must be a non-empty string, got ""/,
    );
    expect(() => fromRedisStream({ url: server.url, stream: 's', group: 'g', consumer: 'c', count: 0 })).toThrow(
      /count must be a positive integer, got 0/,
    );
    await expect(writeRolling(Dataset.range(3), root.dir)).rejects.toThrow(
      /writeRolling: the dataset must read from Dataset.fromRedisStream .*got Range/,
    );
    const unreachable = fromRedisStream({ url: 'redis://127.0.0.1:1', stream: 's', group: 'g', consumer: 'c' });
    await expect(writeRolling(unreachable, join(root.dir, 'none'))).rejects.toThrow(
      /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/,
    );
  });

  it('100k entries produced while the consumer is SIGKILLed twice: every entry written exactly once', {
    timeout: 120_000,
  }, async () => {
    const out = join(root.dir, 'killed');
    const script = join(root.dir, 'consumer.mjs');
    await writeFile(
      script,
      `import { Dataset, writeRolling } from '${JOBS_DIST_URL}';
const stop = new AbortController();
process.on('SIGTERM', () => stop.abort());
const ds = Dataset.fromRedisStream({ url: '${server.url}', stream: 'killed', group: 'g', consumer: 'c1', count: 1000, blockMs: 200 });
await writeRolling(ds, '${out}', { rollRows: 10000, signal: stop.signal });
`,
    );
    const startConsumer = () => spawn(process.execPath, [script], { stdio: 'inherit' });
    const files = async () =>
      (await readdir(out).catch(() => [] as string[])).filter((name) => name.endsWith('.parquet')).length;
    const until = async (condition: () => Promise<boolean>) => {
      while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    const kill = async (child: ReturnType<typeof spawn>, signal: NodeJS.Signals) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    };
    const producing = produce('killed', 0, 100_000);
    let consumer = startConsumer();
    await until(async () => (await files()) >= 1);
    await kill(consumer, 'SIGKILL');
    consumer = startConsumer();
    const afterFirst = await files();
    await until(async () => (await files()) >= afterFirst + 2);
    await kill(consumer, 'SIGKILL');
    consumer = startConsumer();
    await producing;
    await until(async () => {
      const [group] = (await redis.xinfo('GROUPS', 'killed')) as unknown[][];
      const info = Object.fromEntries(
        Array.from({ length: group!.length / 2 }, (_, i) => [group![2 * i], group![2 * i + 1]]),
      );
      return info['pending'] === 0 && info['lag'] === 0;
    });
    await kill(consumer, 'SIGTERM');
    expect(await written(out)).toEqual({ rows: 100_000, ids: 100_000, ns: 100_000, first: 0, last: 99_999 });
  });
});
