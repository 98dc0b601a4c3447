import { NDArray } from '@tsflow/core';
import { isTuple, markTuple } from '../pipeline/value_arrays.js';

/**
 * Wire format between the main thread and map workers: NDArrays become tagged plain objects
 * (class instances lose their prototype in postMessage), tuples (zip / enumerate arrays, whose
 * mark structured clone drops) become `{ __tsflowTuple: items }`, and the buffers of typed
 * arrays are listed for moving instead of copying. Both sides use this module: the main thread
 * (MapInWorkersStage) and the worker (map_worker.ts).
 */
const NDARRAY_TAG = '__tsflowNDArray';
const TUPLE_TAG = '__tsflowTuple';

interface WireNDArray {
  [NDARRAY_TAG]: true;
  dtype: NDArray['dtype'];
  shape: number[];
  data: NDArray['data'];
}

/**
 * Packs `value` for postMessage. With `transfer`, buffers owned whole by a typed array are
 * moved (the caller's arrays are detached afterwards); views into larger buffers are copied
 * first so that moving them never detaches unrelated data.
 */
export function packForWorker(value: unknown, transfer: boolean): { packed: unknown; transferList: ArrayBuffer[] } {
  const buffers = new Set<ArrayBuffer>();
  const packed = pack(value, transfer ? buffers : null);
  return { packed, transferList: [...buffers] };
}

/**
 * Built-ins that postMessage's structured clone carries as they are; walking their keys like a
 * plain object's would turn them into `{}` (Dates from Arrow/Parquet timestamp columns).
 */
function clonedAsIs(value: object): boolean {
  return value instanceof Date || value instanceof RegExp || value instanceof Map || value instanceof Set;
}

function pack(value: unknown, buffers: Set<ArrayBuffer> | null): unknown {
  if (value === null || typeof value !== 'object' || clonedAsIs(value)) return value;
  if (value instanceof NDArray) {
    const wire: WireNDArray = {
      [NDARRAY_TAG]: true,
      dtype: value.dtype,
      shape: value.shape.slice(),
      data: packView(value.data, buffers),
    };
    return wire;
  }
  if (ArrayBuffer.isView(value)) return packView(value as NDArray['data'], buffers);
  if (Array.isArray(value)) {
    const items = value.map((item) => pack(item, buffers));
    return isTuple(value) ? { [TUPLE_TAG]: items } : items;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = pack((value as Record<string, unknown>)[key], buffers);
  return out;
}

function packView<V extends ArrayBufferView & { slice(): V }>(view: V, buffers: Set<ArrayBuffer> | null): V {
  if (buffers === null) return view;
  const ownsWholeBuffer =
    view.buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
  const movable = ownsWholeBuffer ? view : view.slice();
  buffers.add(movable.buffer as ArrayBuffer);
  return movable;
}

/** Rebuilds NDArrays in a result that came back from a worker. */
export function unpackFromWorker(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || clonedAsIs(value)) return value;
  const record = value as Record<string, unknown>;
  if (record[NDARRAY_TAG] === true) {
    const wire = value as WireNDArray;
    return new NDArray(wire.dtype, wire.shape, wire.data);
  }
  if (Array.isArray(value)) return value.map(unpackFromWorker);
  const tuple = record[TUPLE_TAG];
  if (Array.isArray(tuple) && Object.keys(record).length === 1) return markTuple(tuple.map(unpackFromWorker));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) out[key] = unpackFromWorker(record[key]);
  return out;
}
