import type { KernelContext } from '../kernel_registry.js';
import { shareOf, threadPool, threadScratch } from './parallel.js';
import type { KernelExports, WasmKernels } from './wasm_kernels.js';

/** Elements below which a memory-bound kernel stays on the calling thread (a dispatch costs microseconds). */
export const PARALLEL_MIN_ELEMENTS = 1 << 16;

/**
 * Calls the wasm kernel `name` over `count` items (elements, rows, images or columns), split into
 * shares [from, to) over the context's threads when `work` (elements touched, or multiply-adds)
 * is large enough; `argsFor` builds one share's arguments (`scratch`: that thread's scratch
 * block). Shares depend only on the counts, so results don't change from run to run.
 * @internal
 */
export function runShares(
  ctx: KernelContext,
  wasm: WasmKernels,
  name: keyof KernelExports,
  count: number,
  work: number,
  argsFor: (from: number, to: number, scratch: number) => readonly number[],
  { align = 1, minWork = PARALLEL_MIN_ELEMENTS } = {},
): void {
  const threads = Math.min(ctx.threads ?? 1, Math.ceil(count / align));
  if (threads <= 1 || work < minWork) {
    (wasm.exports[name] as (...args: number[]) => void)(...argsFor(0, count, wasm.scratch));
    return;
  }
  const pool = threadPool(wasm, threads);
  pool.run(name, threads, (t) => {
    const [from, to] = shareOf(count, threads, t, align);
    return argsFor(from, to, threadScratch(wasm, pool, t));
  });
}
