import { Dataset } from '@tsflow/data';
import { type RedisStreamEntry, type RedisStreamOptions, RedisStreamSource } from './redis_stream_source.js';

/**
 * Entries `{ id, fields }` of a Redis Stream, read as `consumer` of consumer group `group`
 * (see `RedisStreamSource`). Also available as `Dataset.fromRedisStream` once `@tsflow/jobs` is
 * imported. Write them with `writeRolling`, which acknowledges entries once their file is committed.
 *
 * @example
 * const ds = fromRedisStream({ url: 'redis://localhost:6379', stream: 'events', group: 'ingest', consumer: 'host-1' });
 * await writeRolling(ds, 'landing/events', { rollRows: 100_000, rollSeconds: 60, signal });
 */
export function fromRedisStream(options: RedisStreamOptions): Dataset<RedisStreamEntry> {
  return Dataset.fromStage(new RedisStreamSource(options));
}

declare module '@tsflow/data' {
  // A static added by @tsflow/jobs: the data package does not depend on Redis.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Dataset {
    /** Entries of a Redis Stream consumer group (from `@tsflow/jobs`; see `fromRedisStream`). */
    function fromRedisStream(options: RedisStreamOptions): Dataset<RedisStreamEntry>;
  }
}

(Dataset as unknown as { fromRedisStream: typeof fromRedisStream }).fromRedisStream = fromRedisStream;
