import { ThreadPool } from './thread_pool.js';
import type { WasmKernels } from './wasm_kernels.js';

/*
 * The process-wide thread pool and how kernels split work over it. Sessions with more than one
 * thread register themselves; the pool starts with the first parallel kernel call and stops
 * (after a short idle grace, so tests and scripts that open session after session don't respawn
 * workers each time) once the last such session has closed.
 */

/** Work (multiply-adds, or elements) below which a kernel stays on the calling thread: a dispatch costs a few microseconds. */
export const PARALLEL_MIN_WORK = 1 << 18;
const IDLE_CLOSE_MS = 1000;

let pool: ThreadPool | null = null;
let openSessions = 0;
let closeTimer: ReturnType<typeof setTimeout> | null = null;

/** A Session using more than one thread was created. */
export function retainThreads(): void {
  openSessions++;
  if (closeTimer !== null) {
    clearTimeout(closeTimer);
    closeTimer = null;
  }
}

/** Such a Session closed: the last one stops the workers (after the grace period). */
export function releaseThreads(): void {
  openSessions = Math.max(0, openSessions - 1);
  if (openSessions > 0 || pool === null || closeTimer !== null) return;
  closeTimer = setTimeout(() => {
    closeTimer = null;
    if (openSessions === 0) stopThreads();
  }, IDLE_CLOSE_MS);
  closeTimer.unref();
}

/** Stops the workers now (also what the idle timer does). @internal */
export function stopThreads(): void {
  pool?.close();
  pool = null;
}

/** Workers running now (0 when the pool is stopped). @internal */
export function runningWorkers(): number {
  return pool === null || pool.isClosed ? 0 : pool.size;
}

/** A pool with at least `threads - 1` workers, started (or grown) on first use. */
export function threadPool(wasm: WasmKernels, threads: number): ThreadPool {
  if (pool !== null && !pool.isClosed && pool.size >= threads - 1) return pool;
  pool?.close();
  const names = Object.keys(wasm.exports as object).filter(
    (name) => typeof (wasm.exports as unknown as Record<string, unknown>)[name] === 'function',
  );
  pool = new ThreadPool(wasm, threads - 1, names);
  return pool;
}

/** Scratch block of thread `t` (0 = the caller). */
export function threadScratch(wasm: WasmKernels, pool: ThreadPool, t: number): number {
  return t === 0 ? wasm.scratch : pool.scratch[t - 1]!;
}

/**
 * [start, end) of share `t` when `count` items are split over `threads` in runs that are
 * multiples of `align` (the last share takes the rest). Shares depend only on the counts.
 */
export function shareOf(count: number, threads: number, t: number, align = 1): [number, number] {
  const per = Math.ceil(count / threads / align) * align;
  const start = Math.min(count, t * per);
  return [start, t === threads - 1 ? count : Math.min(count, start + per)];
}
