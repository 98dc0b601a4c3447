import { FailedPreconditionError, InvalidArgumentError } from '@tsflow/core';
import { Redis } from 'ioredis';
import { describe } from '../define_job.js';

/** A Redis URL with its password hidden, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Checks a `redis://` or `rediss://` URL; names what is wrong. */
export function checkRedisUrl(url: unknown, what: string): string {
  let protocol: string | undefined;
  try {
    protocol = typeof url === 'string' ? new URL(url).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new InvalidArgumentError(`${what}: expected a Redis URL like redis://host:6379, got ${describe(url)}`);
  }
  return url as string;
}

/**
 * A long-lived connection (what BullMQ and the stream reader need): commands wait while Redis is
 * away and the client reconnects by itself, so a Redis restart only pauses the work.
 */
export function openRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  // Connection errors are retried; without a listener ioredis would print each one.
  redis.on('error', () => undefined);
  return redis;
}

/**
 * Fails fast, with one line, when Redis can't be reached: a worker or submit started with a
 * wrong URL (or before Redis is up) should say so instead of retrying silently forever.
 */
export async function requireRedis(url: string, timeoutMs = 3000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
  });
  let lastError: Error | undefined;
  probe.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = (lastError ?? (error as Error)).message;
    throw new FailedPreconditionError(`cannot reach Redis at ${redactedUrl(url)} (${reason})`);
  } finally {
    probe.disconnect();
  }
}
