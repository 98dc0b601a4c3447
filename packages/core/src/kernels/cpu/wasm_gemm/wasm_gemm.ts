/**
 * The float32 GEMM on a WebAssembly SIMD micro-kernel (gemm.wat): several times the throughput
 * of the JS micro-kernel, since each wasm instruction works on four floats.
 *
 * Same GotoBLAS/BLIS structure as the JS path in gemm.ts: for each KC-deep slice, op(B) is packed
 * into NR-wide panels and blocks of op(A) into MR-tall panels, and a micro-kernel computes one
 * MR x NR tile of C from two panels. Inputs reach wasm memory by memcpy (TypedArray.set) into a
 * staging area, O(mk + kn) per slice against O(mnk) multiply-adds, and are packed there by wasm
 * code (see stageAndPack). One wasm call then runs every tile of the block into a C block in wasm
 * memory, which is copied out row by row (and copied in first on later KC slices, so the kernel
 * accumulates onto the earlier slices' sums).
 * All blocks have fixed sizes, so the memory is sized once at instantiation and never grows:
 * products of any size are handled by blocking.
 *
 * Precision: tiles accumulate in float32 (f32x4; no fused multiply-add in baseline SIMD, so each
 * product is rounded before it is added), while the JS path accumulates a tile in float64 within
 * a KC slice (both round to float32 between slices). So the wasm path has the error of a plain
 * float32 dot product: at worst about k * 2^-24 relative to sum |a*b| (the bound the parity tests
 * check), typically nearer sqrt(k) * 2^-24; the JS path's is nearer (k / KC) * 2^-24.
 *
 * `TSFLOW_WASM_GEMM=0` in the environment turns this path off (gemm.ts then uses JS only), as
 * does a runtime without WebAssembly SIMD.
 */
import { FailedPreconditionError } from '../../../errors.js';
import { GEMM_WASM_BASE64 } from './gemm_wasm_bytes.js';

/**
 * Tile height and width of the micro-kernel in gemm.wat (4 rows x two f32x4 vectors). Measured
 * here: a 6x8 tile (12 accumulators) ran ~30% slower (register spills), and unrolling the depth
 * loop by two ~10% slower; KC/MC/NC of 128-512 were all within noise of the values below.
 */
const WASM_MR = 4;
const WASM_NR = 8;
/** Depth of one packed slice: a kc x 8 B panel (8 KiB) stays in L1. */
const KC = 256;
/** Rows of op(A) packed at once: MC x KC floats (128 KiB) for L2. MC and NC must be multiples of MR and NR: the regions hold whole padded tiles. */
const MC = 128;
/** Columns of op(B) packed at once: KC x NC floats (512 KiB). */
const NC = 512;

// Float offsets of the three regions in wasm memory (fixed: the blocks above bound their sizes).
const A_REGION = 0;
const B_REGION = A_REGION + MC * KC;
const C_REGION = B_REGION + KC * NC;
// Staging areas: the raw blocks copied in from the caller's arrays, before packing.
const A_STAGE = C_REGION + MC * NC;
const B_STAGE = A_STAGE + MC * KC;
const TOTAL_FLOATS = B_STAGE + KC * NC;
const WASM_PAGE_BYTES = 65536;
/** Row length from which copying rows with subarray + set (memcpy) beats an element loop. */
const ROW_COPY_MIN = 64;

type GemmBlock = (a: number, b: number, c: number, mPanels: number, nPanels: number, kc: number, accumulate: number) => void;
/** packRows / packLines of gemm.wat (byte addresses; strides in bytes). */
type Pack = (src: number, dst: number, kc: number, panels: number, width: number, stride: number) => void;

interface WasmGemm {
  readonly gemmBlock: GemmBlock;
  readonly packRows: Pack;
  readonly packLines: Pack;
  /** The whole linear memory as floats; valid forever since the memory never grows after setup. */
  readonly heap: Float32Array;
}

/** undefined: not tried yet; null: unavailable (switched off, or no WebAssembly SIMD here). */
let instance: WasmGemm | null | undefined;

/** Whether the wasm path can run here and is not switched off by TSFLOW_WASM_GEMM=0. Instantiates on first call. */
export function wasmGemmAvailable(): boolean {
  if (instance === undefined) instance = wasmSwitchedOff() ? null : instantiate();
  return instance !== null;
}

function wasmSwitchedOff(): boolean {
  return typeof process !== 'undefined' && process.env['TSFLOW_WASM_GEMM'] === '0';
}

/**
 * The slice of the WebAssembly JS API used here. The repo's TS libs (ES2023, no DOM) don't declare
 * the WebAssembly global, so it is typed locally and looked up on globalThis.
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

function instantiate(): WasmGemm | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return null;
  const bytes = decodeBase64(GEMM_WASM_BASE64);
  // A runtime without SIMD rejects the module: that is the case the JS path exists for.
  if (!api.validate(bytes)) return null;
  // Synchronous compile + instantiate: the module is under 1 KiB, and it happens once.
  const wasm = new api.Instance(new api.Module(bytes), {});
  const memory = wasm.exports['memory'] as WasmMemory;
  const neededPages = Math.ceil((TOTAL_FLOATS * 4) / WASM_PAGE_BYTES);
  const havePages = memory.buffer.byteLength / WASM_PAGE_BYTES;
  if (neededPages > havePages) memory.grow(neededPages - havePages);
  return {
    gemmBlock: wasm.exports['gemmBlock'] as GemmBlock,
    packRows: wasm.exports['packRows'] as Pack,
    packLines: wasm.exports['packLines'] as Pack,
    heap: new Float32Array(memory.buffer),
  };
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * out[outOff..] = op(A)·op(B) on the wasm micro-kernel; A is [m,k] ([k,m] when transA), B is [k,n]
 * ([n,k] when transB). Requires wasmGemmAvailable() and m, k, n >= 1.
 */
export function gemmFloat32Wasm(
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, out: Float32Array, outOff: number,
  m: number, k: number, n: number, transA: boolean, transB: boolean,
): void {
  if (!wasmGemmAvailable()) throw new FailedPreconditionError('gemmFloat32Wasm: the wasm GEMM is unavailable here (check wasmGemmAvailable() first)');
  const wasm = instance!;
  const { gemmBlock, heap } = wasm;
  // op(A)(i, p) = a[aOff + i*aI + p*aP];  op(B)(p, j) = b[bOff + p*bP + j*bJ]
  const aI = transA ? 1 : k;
  const aP = transA ? m : 1;
  const bP = transB ? 1 : n;
  const bJ = transB ? k : 1;
  // Equal slices of at most KC (784 = 4 x 196, not 3 x 256 + 16): a thin last slice would pay a
  // whole pass of C copies and per-tile overhead for little work.
  const kcStep = Math.ceil(k / Math.ceil(k / KC));
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const nPanels = Math.ceil(nc / WASM_NR);
    const ldc = nPanels * WASM_NR;
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = Math.min(kcStep, k - pc);
      stageAndPack(wasm, B_REGION, B_STAGE, b, bOff + pc * bP + jc * bJ, bJ, bP, kc, nc, WASM_NR);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const mPanels = Math.ceil(mc / WASM_MR);
        stageAndPack(wasm, A_REGION, A_STAGE, a, aOff + ic * aI + pc * aP, aI, aP, kc, mc, WASM_MR);
        const outBlock = outOff + ic * n + jc;
        if (pc > 0) copyBlock(out, outBlock, n, heap, C_REGION, ldc, mc, nc, true);
        gemmBlock(A_REGION * 4, B_REGION * 4, C_REGION * 4, mPanels, nPanels, kc, pc > 0 ? 1 : 0);
        copyBlock(out, outBlock, n, heap, C_REGION, ldc, mc, nc, false);
      }
    }
  }
}

/** Copies the valid mc x nc part of the padded C block between `out` and wasm memory (toHeap: into wasm). */
function copyBlock(
  out: Float32Array, outStart: number, n: number, heap: Float32Array, heapStart: number, ldc: number,
  mc: number, nc: number, toHeap: boolean,
): void {
  if (nc < ROW_COPY_MIN) {
    // Short rows: a plain loop beats creating a subarray per row.
    for (let i = 0; i < mc; i++) {
      const o = outStart + i * n;
      const h = heapStart + i * ldc;
      if (toHeap) for (let j = 0; j < nc; j++) heap[h + j] = out[o + j]!;
      else for (let j = 0; j < nc; j++) out[o + j] = heap[h + j]!;
    }
    return;
  }
  for (let i = 0; i < mc; i++) {
    const o = outStart + i * n;
    const h = heapStart + i * ldc;
    if (toHeap) heap.set(out.subarray(o, o + nc), h);
    else out.set(heap.subarray(h, h + nc), o);
  }
}

/**
 * Packs a kc-deep block into `width`-wide panels at `region` (in floats): element (x, p) of the
 * block, read from src[start + x*sX + p*sP], goes to panel floor(x/width) at p*width + x%width,
 * with panels zero-padded to whole tiles. JS only copies the block into the staging area with
 * TypedArray.set (memcpy; a single call when the block is contiguous in the source), along
 * whichever dimension is contiguous there; the wasm module then rearranges it with vector loads
 * and stores. (A JS element-by-element packing loop measured ~3 ns per float, several times the
 * cost of the multiply-adds for products with a small n or k.)
 */
function stageAndPack(
  wasm: WasmGemm, region: number, stage: number, src: Float32Array, start: number, sX: number, sP: number,
  kc: number, extent: number, width: number,
): void {
  const { heap } = wasm;
  const panels = Math.ceil(extent / width);
  const padded = panels * width;
  if (sP === 1) {
    // Lines: the kc values of one x are contiguous (rows of A, columns of op(B) for transposed B).
    if (sX === kc) heap.set(src.subarray(start, start + extent * kc), stage);
    else for (let x = 0; x < extent; x++) heap.set(src.subarray(start + x * sX, start + x * sX + kc), stage + x * kc);
    if (padded > extent) heap.fill(0, stage + extent * kc, stage + padded * kc);
    wasm.packLines(stage * 4, region * 4, kc, panels, width, kc * 4);
    return;
  }
  // Rows (sX === 1): the extent values of one p are contiguous (rows of B, columns of op(A) for transposed A).
  if (sP === padded) {
    heap.set(src.subarray(start, start + kc * padded), stage);
  } else if (extent < ROW_COPY_MIN) {
    // Short rows (a narrow op(B) or a short op(A)): a subarray per row would cost more than the copy.
    for (let p = 0; p < kc; p++) {
      const row = start + p * sP;
      const s = stage + p * padded;
      let x = 0;
      for (; x < extent; x++) heap[s + x] = src[row + x]!;
      for (; x < padded; x++) heap[s + x] = 0;
    }
  } else {
    for (let p = 0; p < kc; p++) {
      const row = start + p * sP;
      const s = stage + p * padded;
      heap.set(src.subarray(row, row + extent), s);
      if (padded > extent) heap.fill(0, s + extent, s + padded);
    }
  }
  wasm.packRows(stage * 4, region * 4, kc, panels, width, padded * 4);
}
