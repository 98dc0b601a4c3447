/**
 * The WebAssembly SIMD kernels (wasm/*.wat, compiled into kernels_wasm_bytes.ts by
 * scripts/build-wasm-kernels.mjs), instantiated on the tensor heap's shared memory so that they
 * read and write tensors in place. Worker threads instantiate the same compiled module on the
 * same memory (see thread_pool.ts); each thread has its own scratch block.
 *
 * `TSFLOW_WASM=0` in the environment turns every wasm kernel off (kernels then take their JS
 * paths); `TSFLOW_WASM_GEMM=0` turns off only the GEMM. A runtime without WebAssembly SIMD or
 * shared memory gets the JS paths too.
 */
import { KERNELS_WASM_BASE64 } from './wasm/kernels_wasm_bytes.js';
import { tensorHeap, type TensorHeap } from './tensor_heap.js';

/** Byte size of one thread's scratch: GEMM panels (A 128 KiB, B 512 KiB, C 256 KiB) and a zero line. */
export const THREAD_SCRATCH_BYTES = 131072 + 524288 + 262144 + 1024;

/** The exported functions of the module (addresses and strides in bytes). */
export interface KernelExports {
  gemm(
    a: number,
    aI: number,
    aP: number,
    b: number,
    bP: number,
    bJ: number,
    out: number,
    m0: number,
    m1: number,
    k: number,
    n: number,
    bias: number,
    flags: number,
    scratch: number,
  ): void;
  relu(x: number, out: number, from: number, to: number): void;
  reluGrad(dy: number, y: number, out: number, from: number, to: number): void;
  biasAdd(x: number, bias: number, out: number, channels: number, from: number, to: number): void;
  columnSums(x: number, acc: number, rowLength: number, c0: number, c1: number, rows: number): void;
  storeSums(acc: number, out: number, channels: number): void;
  maxPoolArgmax(...args: number[]): void;
  maxPoolGradArgmax(
    dy: number,
    argmax: number,
    x: number,
    dx: number,
    dyFrom: number,
    dyTo: number,
    dxFrom: number,
    dxTo: number,
    reluMask: number,
  ): void;
  im2col(...args: number[]): void;
  winogradConv(...args: number[]): void;
  winogradGradTransforms(...args: number[]): void;
  winogradGradProducts(...args: number[]): void;
  col2im(...args: number[]): void;
  applyGradientDescent(...args: number[]): void;
  applyMomentum(...args: number[]): void;
  applyAdam(...args: number[]): void;
  applyRMSProp(...args: number[]): void;
  applyCenteredRMSProp(...args: number[]): void;
  applyAdagrad(...args: number[]): void;
}

/** Byte address of `data` in the heap, or -1 when it lives elsewhere. */
export function heapAddress(wasm: WasmKernels, data: ArrayBufferView): number {
  return wasm.heap.owns(data.buffer) ? data.byteOffset : -1;
}

/** GEMM flags: relu epilogue, and adding onto the output instead of overwriting it. */
export const GEMM_RELU = 1;
export const GEMM_ACCUMULATE = 4;

export interface WasmKernels {
  readonly exports: KernelExports;
  readonly heap: TensorHeap;
  /** The compiled module, for worker threads to instantiate on the same memory. */
  readonly module: object;
  /** The calling thread's scratch block address. */
  readonly scratch: number;
}

interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

/** undefined: not tried yet; null: unavailable here. */
let instance: WasmKernels | null | undefined;
let enabled = !envSwitchedOff('TSFLOW_WASM');
let gemmEnabled = !envSwitchedOff('TSFLOW_WASM_GEMM');

function envSwitchedOff(name: string): boolean {
  return typeof process !== 'undefined' && process.env[name] === '0';
}

/** The wasm kernels, or null when switched off or unsupported (callers then take their JS paths). */
export function wasmKernels(): WasmKernels | null {
  if (!enabled) return null;
  if (instance === undefined) instance = instantiate();
  return instance;
}

/** The wasm kernels when the GEMM may use them (also honours TSFLOW_WASM_GEMM=0). */
export function wasmGemmKernels(): WasmKernels | null {
  return gemmEnabled ? wasmKernels() : null;
}

/**
 * Turns the wasm kernels on or off for this process (what TSFLOW_WASM=0 does at start-up), so
 * one test run can check the JS paths too. Returns the previous setting. @internal
 */
export function setWasmKernelsEnabled(on: boolean): boolean {
  const previous = enabled && gemmEnabled;
  enabled = on;
  gemmEnabled = on;
  return previous;
}

function instantiate(): WasmKernels | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  const heap = tensorHeap();
  if (api === undefined || heap === null) return null;
  const bytes = decodeBase64(KERNELS_WASM_BASE64);
  // A runtime without SIMD or threads rejects the module: that is what the JS paths are for.
  if (!api.validate(bytes)) return null;
  const module = new api.Module(bytes);
  const wasm = new api.Instance(module, { env: { memory: heap.memory } });
  const scratch = heap.alloc(THREAD_SCRATCH_BYTES);
  if (scratch === null) return null;
  return { exports: wasm.exports as unknown as KernelExports, heap, module, scratch: scratch.offset };
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
