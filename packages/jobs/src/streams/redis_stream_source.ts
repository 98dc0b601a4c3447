import { FailedPreconditionError, InvalidArgumentError } from '@tsflow/core';
import type { Stage, StageIterator, StageState } from '@tsflow/data';
import type { Redis } from 'ioredis';
import { describe } from '../define_job.js';
import { errorText } from '../job_failed_error.js';
import { checkRedisUrl, openRedis, requireRedis } from '../redis/redis_connection.js';

/** What `Dataset.fromRedisStream` reads: a consumer of a Redis Stream consumer group. */
export interface RedisStreamOptions {
  /** `redis://host:port`. */
  url: string;
  /** The stream's key. */
  stream: string;
  /** Consumer group (created, reading from the stream's start, if missing). */
  group: string;
  /** This consumer's name: keep it across restarts, so its unacknowledged entries come back to it. */
  consumer: string;
  /** Entries fetched per read (default 100): also how far reading runs ahead of the consumer. */
  count?: number;
  /** How long one read waits for new entries (default 2000 ms); the pass never ends by itself. */
  blockMs?: number;
  /**
   * Entries another consumer left unacknowledged for this long are claimed (XAUTOCLAIM) and
   * delivered here (default 60000 ms). Must exceed the time a live consumer takes to write a file.
   */
  claimIdleMs?: number;
}

/** One stream entry. */
export interface RedisStreamEntry {
  /** The entry id (`<ms>-<seq>`). */
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
}

type RawEntry = [id: string, fields: string[] | null];

/**
 * `Dataset.fromRedisStream`: entries of a stream read through a consumer group. A pass first
 * re-reads this consumer's own unacknowledged entries (what it had read before a crash), then
 * new ones, and now and then claims entries that dead consumers left behind. Entries are only
 * read when the consumer pulls (at most `count` ahead), so a slow sink slows reading.
 * Acknowledging is left to the sink (`writeRolling`), after the entries are safely written.
 */
export class RedisStreamSource implements Stage<RedisStreamEntry> {
  readonly upstream = [];
  readonly label: string;
  readonly options: Required<RedisStreamOptions>;
  /**
   * Bumped whenever a pass delivers entries that may have been read before (its own pending
   * ones, or claimed ones): a sink then looks again for files it had already written.
   * @internal
   */
  recoveries = 0;

  constructor(options: RedisStreamOptions) {
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError(
        `fromRedisStream: expected { url, stream, group, consumer }, got ${describe(options)}`,
      );
    checkRedisUrl(options.url, 'fromRedisStream: url');
    for (const key of ['stream', 'group', 'consumer'] as const) {
      if (typeof options[key] !== 'string' || options[key] === '')
        throw new InvalidArgumentError(
          `fromRedisStream: ${key} must be a non-empty string, got ${describe(options[key])}`,
        );
    }
    const count = positive(options.count, 100, 'count');
    const blockMs = positive(options.blockMs, 2000, 'blockMs');
    const claimIdleMs = positive(options.claimIdleMs, 60_000, 'claimIdleMs');
    this.options = { ...options, count, blockMs, claimIdleMs };
    this.label = `RedisStream(${options.stream}, group=${options.group}, consumer=${options.consumer})`;
  }

  open(state?: StageState): StageIterator<RedisStreamEntry> {
    if (state !== undefined) throw unsaveable(this);
    return new RedisStreamIterator(this);
  }
}

class RedisStreamIterator implements StageIterator<RedisStreamEntry> {
  private redis?: Redis;
  private readonly buffer: RedisStreamEntry[] = [];
  /** Reading this consumer's own pending entries (from this id), before new ones. */
  private ownPendingFrom: string | undefined = '0';
  private claimCursor = '0-0';
  private nextClaimAt = 0;
  private closed = false;

  constructor(private readonly source: RedisStreamSource) {}

  async next(): Promise<IteratorResult<RedisStreamEntry, undefined>> {
    try {
      while (this.buffer.length === 0) {
        if (this.closed) return { value: undefined, done: true };
        await this.fill();
      }
    } catch (error) {
      if (this.closed) return { value: undefined, done: true };
      throw new FailedPreconditionError(`${this.source.label}: ${errorText(error)}`);
    }
    return { value: this.buffer.shift()!, done: false };
  }

  saveState(): StageState {
    throw unsaveable(this.source);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.redis?.disconnect();
  }

  private async connect(): Promise<Redis> {
    const { url, stream, group } = this.source.options;
    await requireRedis(url);
    const redis = openRedis(url);
    try {
      await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!/BUSYGROUP/.test((error as Error).message)) throw error;
    }
    return redis;
  }

  private async fill(): Promise<void> {
    const { stream, group, consumer, count, blockMs, claimIdleMs } = this.source.options;
    this.redis ??= await this.connect();
    const redis = this.redis;
    if (this.ownPendingFrom !== undefined) {
      const entries = entriesOf(
        await redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, this.ownPendingFrom),
      );
      if (entries.length === 0) {
        this.ownPendingFrom = undefined;
        return;
      }
      this.ownPendingFrom = entries[entries.length - 1]![0];
      await this.deliver(entries, true);
      return;
    }
    if (Date.now() >= this.nextClaimAt) {
      const [cursor, claimed] = (await redis.xautoclaim(
        stream,
        group,
        consumer,
        claimIdleMs,
        this.claimCursor,
        'COUNT',
        count,
      )) as [string, RawEntry[]];
      this.claimCursor = cursor;
      // A full sweep done: look again after a while, not on every read.
      if (cursor === '0-0') this.nextClaimAt = Date.now() + Math.max(100, Math.floor(claimIdleMs / 2));
      if (claimed.length > 0) {
        await this.deliver(claimed, true);
        return;
      }
    }
    await this.deliver(
      entriesOf(
        await redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', stream, '>'),
      ),
      false,
    );
  }

  private async deliver(entries: readonly RawEntry[], recovered: boolean): Promise<void> {
    const { stream, group } = this.source.options;
    // A pending entry deleted from the stream (XDEL, trimming) has no fields: nothing to write.
    const deleted = entries.filter(([, fields]) => fields === null).map(([id]) => id);
    if (deleted.length > 0) await this.redis!.xack(stream, group, ...deleted);
    if (recovered && entries.length > deleted.length) this.source.recoveries++;
    for (const [id, fields] of entries) {
      if (fields === null) continue;
      const record: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
      this.buffer.push({ id, fields: record });
    }
  }
}

/** `[[stream, entries]]` of XREADGROUP (or null when the read timed out). */
function entriesOf(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  return (reply[0] as [string, RawEntry[]])[1];
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError(`fromRedisStream: ${name} must be a positive integer, got ${describe(value)}`);
  return value;
}

function unsaveable(source: RedisStreamSource): FailedPreconditionError {
  return new FailedPreconditionError(
    `${source.label} can't save or resume a position: its position is the consumer group (acknowledged entries), which writeRolling advances`,
  );
}
