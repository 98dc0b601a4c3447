import type { FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type ParquetFooter, readParquetFooter } from './footer.js';

/**
 * A small LRU of parsed Parquet footers, shared by the Parquet source and `parquetFileInfo`, so
 * that reading one row group at a time (a `@tsflow/jobs` task per row group) does not re-read
 * and re-parse the whole footer on every pass. An entry is keyed by the resolved path and
 * checked against the open handle's fstat (device, inode, size, mtime, ctime): a file replaced
 * or rewritten in place misses and is read again (only a rewrite keeping the inode, the size and both
 * timestamps to the nanosecond would go unseen). Cached footers are frozen (their objects and
 * arrays); `metadata` is a Map that consumers must copy (`cloneStruct`) before changing.
 * @internal
 */

interface Limits {
  /** Most footers kept. */
  maxEntries: number;
  /** Most encoded footer bytes kept (the parsed form is several times larger). */
  maxBytes: number;
}

const DEFAULT_LIMITS: Limits = { maxEntries: 32, maxBytes: 8 * 1024 * 1024 };
let limits: Limits = { ...DEFAULT_LIMITS };

interface Entry {
  readonly identity: string;
  readonly footer: ParquetFooter;
  readonly bytes: number;
}

const entries = new Map<string, Entry>();
let cachedBytes = 0;

/** Changes the cache's bounds (0 entries turns it off) and empties it; no argument restores the defaults. */
export function configureFooterCache(next: Partial<Limits> = DEFAULT_LIMITS): void {
  limits = { ...DEFAULT_LIMITS, ...next };
  entries.clear();
  cachedBytes = 0;
}

/** Footers held now and their encoded bytes (for tests and benches). */
export function footerCacheSize(): { entries: number; bytes: number } {
  return { entries: entries.size, bytes: cachedBytes };
}

/** `readParquetFooter`, served from the cache while the file on disk is unchanged. */
export async function readCachedParquetFooter(handle: FileHandle, path: string): Promise<ParquetFooter> {
  if (limits.maxEntries <= 0) return readParquetFooter(handle, path);
  const stats = await handle.stat({ bigint: true });
  const key = resolve(path);
  const identity = `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
  const hit = entries.get(key);
  if (hit !== undefined && hit.identity === identity) {
    entries.delete(key);
    entries.set(key, hit);
    // Errors name the file as the caller spelled it.
    return hit.footer.path === path ? hit.footer : Object.freeze({ ...hit.footer, path });
  }
  const footer = freezeFooter(await readParquetFooter(handle, path));
  remember(key, { identity, footer, bytes: footer.footerLength });
  return footer;
}

function remember(key: string, entry: Entry): void {
  const old = entries.get(key);
  if (old !== undefined) {
    entries.delete(key);
    cachedBytes -= old.bytes;
  }
  if (entry.bytes > limits.maxBytes) return;
  entries.set(key, entry);
  cachedBytes += entry.bytes;
  for (const [oldest, { bytes }] of entries) {
    if (entries.size <= limits.maxEntries && cachedBytes <= limits.maxBytes) break;
    entries.delete(oldest);
    cachedBytes -= bytes;
  }
}

function freezeFooter(footer: ParquetFooter): ParquetFooter {
  for (const rowGroup of footer.rowGroups) {
    for (const chunk of rowGroup.chunks) Object.freeze(chunk);
    Object.freeze(rowGroup.chunks);
    Object.freeze(rowGroup);
  }
  for (const column of footer.columns) Object.freeze(column);
  Object.freeze(footer.rowGroups);
  Object.freeze(footer.columns);
  return Object.freeze(footer);
}
