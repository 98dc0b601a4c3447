/*
 * Worker side of `Dataset.mapInWorkers` (a piscina task module): loads the user's module once
 * per worker, unpacks the element with the same codec the main thread packed it with
 * (transfer_codec.ts), runs the exported map function and packs the result back, moving (not
 * copying) the buffers of typed arrays it owns.
 *
 * Worker threads load JavaScript as-is (vitest only transforms the main thread), so the pool
 * always starts the built file, dist/workers/map_worker.js, also when the main thread runs
 * from src/ under vitest (`npm test` builds first).
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';

// Loaded with a top-level await on purpose: piscina first tries require() on the entry file,
// and Node 20's require(esm) path plus a later import() of the same packages (by the user's
// module) trips an internal assertion. A module with top-level await can't be required, so
// piscina falls back to import() and everything loads through the ESM loader.
const { packForWorker, unpackFromWorker } = await import('./transfer_codec.js');

/** One task sent by MapInWorkersStage to a worker. */
export interface MapTask {
  moduleUrl: string;
  exportName: string;
  /** The element, packed by `packForWorker` (absent in a warm-up task). */
  element?: unknown;
  /** Move the result's typed-array buffers back instead of copying them. */
  transfer: boolean;
  /** Only load the module (so that element timeouts don't count worker start-up). */
  warmUp?: boolean;
}

type MapFunction = (element: unknown) => unknown;

const loaded = new Map<string, MapFunction>();

async function loadFunction(moduleUrl: string, exportName: string): Promise<MapFunction> {
  const key = `${moduleUrl}#${exportName}`;
  let fn = loaded.get(key);
  if (fn === undefined) {
    const module = (await import(moduleUrl)) as Record<string, unknown>;
    const candidate = module[exportName];
    if (typeof candidate !== 'function') {
      throw new TypeError(
        `module ${moduleUrl} has no function export '${exportName}' (its exports: ${Object.keys(module).join(', ') || 'none'})`,
      );
    }
    fn = candidate as MapFunction;
    loaded.set(key, fn);
  }
  return fn;
}

/** Runs one task; the result is packed for the way back (buffers listed for moving). */
export default async function runMapTask(task: MapTask): Promise<unknown> {
  const fn = await loadFunction(task.moduleUrl, task.exportName);
  if (task.warmUp === true) return null;
  const result = await fn(unpackFromWorker(task.element));
  const { packed, transferList } = packForWorker(result, task.transfer);
  return move({ [transferableSymbol]: transferList, [valueSymbol]: packed as object });
}
