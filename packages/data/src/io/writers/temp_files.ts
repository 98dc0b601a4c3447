import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, unlinkSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Temporary files of atomic writes: `<path>.tmp-<host>-<pid>-<random>`, beside the target so
 * the final rename stays on one file system. Host and pid make a file left by a killed
 * process recognisable as stale; the random part keeps concurrent writers apart.
 */
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);
const TEMP_PATTERN = /\.tmp-([0-9a-f]{6})-(\d+)-[0-9a-f]{12}$/;

/** A fresh, unique temporary name for writing `path`. */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${HOST_TAG}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Temporary files (absolute paths) this process is writing now; removed on SIGINT/SIGTERM/exit. */
const liveTemps = new Set<string>();
const HANDLED_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Marks `tmpPath` as in progress, so a signal or an exit removes it. */
export function trackTemp(tmpPath: string): void {
  if (liveTemps.size === 0) installCleanup();
  liveTemps.add(resolve(tmpPath));
}

/** The write finished or failed (and removed its file): stop watching `tmpPath`. */
export function untrackTemp(tmpPath: string): void {
  if (!liveTemps.delete(resolve(tmpPath))) return;
  if (liveTemps.size === 0) uninstallCleanup();
}

function removeLiveTemps(): void {
  for (const tmpPath of liveTemps) {
    try {
      unlinkSync(tmpPath);
    } catch {
      // already gone
    }
  }
  liveTemps.clear();
}

/**
 * On SIGINT/SIGTERM with no other listener, Node would exit at once without unwinding, so
 * the temporary files are removed here and the signal is raised again for the default exit.
 * When the application listens too, it decides what happens (e.g. a trainer finishing its
 * checkpoint); the writes then fail or complete through their own paths.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  removeLiveTemps();
  uninstallCleanup();
  process.kill(process.pid, signal);
}

function installCleanup(): void {
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
  process.on('exit', removeLiveTemps);
}

function uninstallCleanup(): void {
  for (const signal of HANDLED_SIGNALS) process.off(signal, onSignal);
  process.off('exit', removeLiveTemps);
}

/** Whether `name` is a temporary of `path` left by a process of this host that is gone. */
function isStaleTempOf(name: string, base: string, dir: string): boolean {
  if (!name.startsWith(`${base}.tmp-`)) return false;
  const match = TEMP_PATTERN.exec(name.slice(base.length));
  if (match === null || match.index !== 0 || match[1] !== HOST_TAG) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return !liveTemps.has(resolve(dir, name));
  return !processIsAlive(pid);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Removes temporaries of `path` left behind by killed writers (kill -9, power loss). */
export async function removeStaleTemps(path: string): Promise<void> {
  const dir = dirname(path);
  const base = basename(path);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (isStaleTempOf(name, base, dir)) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/** `removeStaleTemps` for synchronous writers. */
export function removeStaleTempsSync(path: string): void {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!isStaleTempOf(name, base, dir)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // removed by someone else meanwhile
    }
  }
}
