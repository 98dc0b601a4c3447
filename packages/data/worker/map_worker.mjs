// Worker side of `Dataset.mapInWorkers`: loads the user's module once per worker, revives
// NDArrays from the wire format, runs the exported map function and sends the result back,
// moving (not copying) the buffers of typed arrays it owns.
//
// This file is plain JS on purpose: worker threads load it as-is (also under vitest, which
// only transforms the main thread), from both src/ and dist/ (same relative path). The wire
// format mirrors src/workers/transfer_codec.ts.
import { move, transferableSymbol, valueSymbol } from 'piscina';

// Loaded with a top-level await on purpose: piscina first tries require() on the entry file,
// and Node 20's require(esm) path plus a later import() of the same packages (by the user's
// module) trips an internal assertion. A module with top-level await can't be required, so
// piscina falls back to import() and everything loads through the ESM loader.
const { NDArray } = await import('@tsflow/core');

const NDARRAY_TAG = '__tsflowNDArray';
const TUPLE_TAG = '__tsflowTuple';
// The hidden mark of zip / enumerate tuples (src/pipeline/value_arrays.ts): a registered symbol.
const TUPLE_MARK = Symbol.for('tsflow.tuple');

function markTuple(items) {
  Object.defineProperty(items, TUPLE_MARK, { value: true, enumerable: false });
  return items;
}
const loaded = new Map();

async function loadFunction(moduleUrl, exportName) {
  const key = `${moduleUrl}#${exportName}`;
  let fn = loaded.get(key);
  if (fn === undefined) {
    const module = await import(moduleUrl);
    fn = module[exportName];
    if (typeof fn !== 'function') {
      throw new TypeError(
        `module ${moduleUrl} has no function export '${exportName}' (its exports: ${Object.keys(module).join(', ') || 'none'})`,
      );
    }
    loaded.set(key, fn);
  }
  return fn;
}

// Built-ins that structured clone carries as they are (walking their keys would give `{}`).
function clonedAsIs(value) {
  return value instanceof Date || value instanceof RegExp || value instanceof Map || value instanceof Set;
}

function revive(value) {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || clonedAsIs(value)) return value;
  if (value[NDARRAY_TAG] === true) return new NDArray(value.dtype, value.shape, value.data);
  if (Array.isArray(value)) return value.map(revive);
  if (Array.isArray(value[TUPLE_TAG]) && Object.keys(value).length === 1) return markTuple(value[TUPLE_TAG].map(revive));
  const out = {};
  for (const key of Object.keys(value)) out[key] = revive(value[key]);
  return out;
}

function ownsWholeBuffer(view) {
  return (
    !(view.buffer instanceof SharedArrayBuffer) && view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
  );
}

/** Converts NDArrays to the wire format; collects buffers to move when `buffers` is a Set. */
function pack(value, buffers) {
  if (value === null || typeof value !== 'object' || clonedAsIs(value)) return value;
  if (value instanceof NDArray) {
    return { [NDARRAY_TAG]: true, dtype: value.dtype, shape: value.shape.slice(), data: packView(value.data, buffers) };
  }
  if (ArrayBuffer.isView(value)) return packView(value, buffers);
  if (Array.isArray(value)) {
    const items = value.map((item) => pack(item, buffers));
    return value[TUPLE_MARK] === true ? { [TUPLE_TAG]: items } : items;
  }
  const out = {};
  for (const key of Object.keys(value)) out[key] = pack(value[key], buffers);
  return out;
}

function packView(view, buffers) {
  if (buffers === null) return view;
  // A view into a larger buffer is copied first: moving would detach the whole buffer.
  const movable = ownsWholeBuffer(view) ? view : view.slice();
  buffers.add(movable.buffer);
  return movable;
}

export default async function runMapTask({ moduleUrl, exportName, element, transfer, warmUp }) {
  const fn = await loadFunction(moduleUrl, exportName);
  // A warm-up task only loads the module, so that element timeouts don't count worker start-up.
  if (warmUp === true) return null;
  const result = await fn(revive(element));
  const buffers = transfer ? new Set() : null;
  const packed = pack(result, buffers);
  return move({ [transferableSymbol]: buffers === null ? [] : [...buffers], [valueSymbol]: packed });
}
