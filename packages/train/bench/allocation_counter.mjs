// Counts new ArrayBuffers created by JavaScript code: typed-array and ArrayBuffer constructors
// that make a buffer (not views of an existing one), `from`/`of`, and the prototype methods that
// return a fresh array (slice, map, filter, ...). Install it BEFORE importing the code under test:
// the constructors are replaced on globalThis, which module code looks up at call time.
// Not a bench itself (run.mjs only runs *.bench.mjs).

const TYPED = [
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];
const FRESH_METHODS = ['slice', 'map', 'filter', 'toSorted', 'toReversed', 'with'];

let count = 0;

/** Buffers created since install (or the last reset). */
export function allocationCount() {
  return count;
}

export function installAllocationCounter() {
  for (const name of ['ArrayBuffer', 'SharedArrayBuffer']) {
    const real = globalThis[name];
    globalThis[name] = new Proxy(real, {
      construct(target, args, newTarget) {
        count++;
        return Reflect.construct(target, args, newTarget === globalThis[name] ? target : newTarget);
      },
    });
  }
  const typedArrayPrototype = Object.getPrototypeOf(Float32Array.prototype);
  for (const method of FRESH_METHODS) {
    const real = typedArrayPrototype[method];
    if (typeof real !== 'function') continue;
    typedArrayPrototype[method] = function (...args) {
      count++;
      return real.apply(this, args);
    };
  }
  const realSlice = ArrayBuffer.prototype.slice;
  ArrayBuffer.prototype.slice = function (...args) {
    count++;
    return realSlice.apply(this, args);
  };
  for (const name of TYPED) {
    const real = globalThis[name];
    if (typeof real !== 'function') continue;
    const proxy = new Proxy(real, {
      construct(target, args, newTarget) {
        // A view of an existing buffer allocates no ArrayBuffer.
        const first = args[0];
        const isView =
          first instanceof ArrayBuffer ||
          (typeof SharedArrayBuffer !== 'undefined' && first instanceof SharedArrayBuffer);
        if (!isView) count++;
        return Reflect.construct(target, args, newTarget === proxy ? target : newTarget);
      },
      get(target, key, receiver) {
        if (key === 'from' || key === 'of') {
          return (...args) => {
            count++;
            return target[key](...args);
          };
        }
        return Reflect.get(target, key, receiver);
      },
    });
    globalThis[name] = proxy;
  }
}
