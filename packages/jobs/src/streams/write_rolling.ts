import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@tsflow/core';
import { Dataset, type ParquetCompression } from '@tsflow/data';
import type { Redis } from 'ioredis';
import { describe } from '../define_job.js';
import { openRedis } from '../redis/redis_connection.js';
import type { RedisStreamSource } from './redis_stream_source.js';
import { listRollingFiles, rollingFileName, streamSourceOf } from './rolling_files.js';

export interface WriteRollingOptions {
  /** `'parquet'` (default) or `'arrow'`. */
  format?: 'parquet' | 'arrow';
  /** Start a new file after this many entries (default 100000). */
  rollRows?: number;
  /** ... or when the open file's first entry is this old (default 60 s), even if no entry comes. */
  rollSeconds?: number;
  /** Stops the sink: the open file is committed and acknowledged, then it returns. */
  signal?: AbortSignal;
  compression?: ParquetCompression;
}

export interface WriteRollingResult {
  /** Files committed by this call, in order. */
  readonly files: readonly string[];
  readonly rows: number;
}

interface OpenFile {
  readonly name: string;
  readonly rows: Record<string, unknown>[];
  readonly ids: string[];
  readonly openedAt: number;
}

const ACK_CHUNK = 10_000;

/**
 * Streams entries of `Dataset.fromRedisStream` (mapped or filtered as you like, keeping each
 * element's `id`) into rolled part files in `dir`, and acknowledges (XACK) the entries of a file
 * only after the file is committed (atomic rename). A consumer killed at any point and restarted
 * re-reads its unacknowledged entries and writes them into a file of the same name (the first
 * entry's id), which replaces the unacknowledged one: no entry is lost or written twice.
 * Rows are `{ id, ...fields }` for `{ id, fields }` entries, or the element itself.
 *
 * @example
 * const stop = new AbortController();
 * process.once('SIGTERM', () => stop.abort());
 * await writeRolling(Dataset.fromRedisStream({ url, stream: 'events', group: 'ingest', consumer: 'pod-1' }), 'landing', { rollRows: 50_000, signal: stop.signal });
 */
export async function writeRolling(
  ds: Dataset<unknown>,
  dir: string,
  options: WriteRollingOptions = {},
): Promise<WriteRollingResult> {
  if (!(ds instanceof Dataset)) throw new InvalidArgumentError(`writeRolling: expected a Dataset, got ${describe(ds)}`);
  const source = streamSourceOf(ds);
  if (source === undefined)
    throw new InvalidArgumentError(
      `writeRolling: the dataset must read from Dataset.fromRedisStream (it acknowledges the entries it wrote); got ${ds.summary()}`,
    );
  if (typeof dir !== 'string' || dir === '')
    throw new InvalidArgumentError(`writeRolling: dir must be a non-empty string, got ${describe(dir)}`);
  const format = options.format ?? 'parquet';
  if (format !== 'parquet' && format !== 'arrow')
    throw new InvalidArgumentError(
      `writeRolling: format must be 'parquet' or 'arrow', got ${describe(options.format)}`,
    );
  const rollRows = options.rollRows ?? 100_000;
  const rollSeconds = options.rollSeconds ?? 60;
  if (!Number.isInteger(rollRows) || rollRows < 1)
    throw new InvalidArgumentError(
      `writeRolling: rollRows must be a positive integer, got ${describe(options.rollRows)}`,
    );
  if (!(typeof rollSeconds === 'number' && rollSeconds > 0))
    throw new InvalidArgumentError(
      `writeRolling: rollSeconds must be a positive number, got ${describe(options.rollSeconds)}`,
    );
  await mkdir(dir, { recursive: true });
  const writer = new RollingWriter(source, dir, format, options.compression, openRedis(source.options.url));
  try {
    await writer.run(ds, rollRows, rollSeconds * 1000, options.signal);
  } finally {
    writer.close();
  }
  return { files: writer.files, rows: writer.rows };
}

class RollingWriter {
  readonly files: string[] = [];
  rows = 0;
  private open?: OpenFile;
  private existing = new Set<string>();
  private seenRecoveries = -1;

  constructor(
    private readonly source: RedisStreamSource,
    private readonly dir: string,
    private readonly format: 'parquet' | 'arrow',
    private readonly compression: ParquetCompression | undefined,
    private readonly acker: Redis,
  ) {}

  async run(ds: Dataset<unknown>, rollRows: number, rollMs: number, signal: AbortSignal | undefined): Promise<void> {
    const iterator = ds[Symbol.asyncIterator]();
    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal?.aborted) resolve('aborted');
      signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    let pull: Promise<IteratorResult<unknown>> | undefined;
    try {
      for (;;) {
        pull ??= iterator.next();
        const due = this.open === undefined ? undefined : this.open.openedAt + rollMs - Date.now();
        const timer = due === undefined ? undefined : delay(Math.max(0, due));
        const next = await Promise.race([pull, aborted, ...(timer === undefined ? [] : [timer.promise])]);
        timer?.cancel();
        if (next === 'aborted') break;
        if (next === 'roll') {
          await this.commit();
          continue;
        }
        pull = undefined;
        if (next.done) break;
        await this.add(next.value, rollRows);
      }
      await this.commit();
    } finally {
      // Entries read ahead but not written stay pending; the next run reads them again.
      pull?.catch(() => undefined);
      await iterator.return?.();
    }
  }

  close(): void {
    this.acker.disconnect();
  }

  private async add(element: unknown, rollRows: number): Promise<void> {
    const row = rowOf(element);
    const id = row['id'] as string;
    if (this.seenRecoveries !== this.source.recoveries) {
      // Re-read entries may start a file an earlier run committed but did not acknowledge.
      this.seenRecoveries = this.source.recoveries;
      this.existing = await listRollingFiles(this.dir, this.format);
    }
    const name = rollingFileName(id, this.format);
    if (this.open !== undefined && this.existing.has(name)) await this.commit();
    this.open ??= { name, rows: [], ids: [], openedAt: Date.now() };
    this.open.rows.push(row);
    this.open.ids.push(id);
    if (this.open.rows.length >= rollRows) await this.commit();
  }

  /** Writes the open file (atomically, replacing an unacknowledged one of the same name), then acknowledges its entries. */
  private async commit(): Promise<void> {
    const file = this.open;
    if (file === undefined) return;
    const path = join(this.dir, file.name);
    // One columnar batch: the sinks build Arrow columns from it without a row-by-row pass.
    const batch = Dataset.fromArray([columnsOf(file.rows)]);
    if (this.format === 'parquet')
      await batch.writeParquet(path, {
        input: 'batches',
        ...(this.compression === undefined ? {} : { compression: this.compression }),
      });
    else await batch.writeArrow(path, { input: 'batches' });
    this.existing.add(file.name);
    const { stream, group } = this.source.options;
    for (let i = 0; i < file.ids.length; i += ACK_CHUNK)
      await this.acker.xack(stream, group, ...file.ids.slice(i, i + ACK_CHUNK));
    this.files.push(path);
    this.rows += file.rows.length;
    this.open = undefined;
  }
}

/** `{ id, ...fields }` of an entry, or an element that is already a row with a string id. */
function rowOf(element: unknown): Record<string, unknown> {
  if (element !== null && typeof element === 'object' && typeof (element as { id?: unknown }).id === 'string') {
    const { id, fields } = element as { id: string; fields?: unknown };
    if (fields !== null && typeof fields === 'object' && !Array.isArray(fields))
      return { id, ...(fields as Record<string, unknown>) };
    return element as Record<string, unknown>;
  }
  throw new InvalidArgumentError(
    `writeRolling: every element must be a stream entry { id, fields } or a row with its string id, got ${describe(element)}`,
  );
}

/** Rows as columns (every key of any row; null where a row lacks it: stream entries are schemaless). */
function columnsOf(rows: readonly Record<string, unknown>[]): Record<string, unknown[]> {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  const columns: Record<string, unknown[]> = {};
  for (const name of names) columns[name] = rows.map((row) => row[name] ?? null);
  return columns;
}

function delay(ms: number): { promise: Promise<'roll'>; cancel: () => void } {
  let handle: NodeJS.Timeout | undefined;
  const promise = new Promise<'roll'>((resolve) => {
    handle = setTimeout(() => resolve('roll'), ms);
  });
  return { promise, cancel: () => clearTimeout(handle) };
}
