import type { TypedArray } from '../dtype.js';
import { FailedPreconditionError } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape, shapeSize } from '../ndarray/shape.js';

/** What tsflow needs of a gpu.js pipeline output (a GL texture). */
export interface DeviceBuffer {
  toArray(): unknown;
  delete(): void;
}

/**
 * A float32 kernel output that stays in GPU memory (a gpu.js texture, from `pipeline: true`
 * kernels on GL backends) until something on the host reads `data`: a cpu kernel, a fetch, or
 * a variable write at the end of a run. gpu kernels consuming it take the texture directly, so
 * chains of gpu ops never round-trip through the host.
 * @internal
 */
export class GpuResidentArray extends NDArray {
  private buffer: DeviceBuffer | undefined;
  private host: Float32Array | undefined;
  private freed = false;

  constructor(shape: readonly number[], buffer: DeviceBuffer) {
    // NDArray only checks the length here; `data` is redefined below as a lazy download.
    super('float32', shape, { length: shapeSize(shape) } as unknown as TypedArray);
    this.buffer = buffer;
    Object.defineProperty(this, 'data', { get: () => this.download(), enumerable: true, configurable: true });
    liveResidentArrays.add(this);
  }

  /** From the shape: the base class counts `data`, which would read the texture back. */
  override get size(): number {
    return shapeSize(this.shape);
  }

  /** The texture, while the value has not been read back to the host. */
  get deviceBuffer(): DeviceBuffer | undefined {
    return this.host === undefined ? this.buffer : undefined;
  }

  /** Reads the value back once and frees the texture; later reads use the host copy. */
  download(): Float32Array {
    if (this.host) return this.host;
    if (this.freed || !this.buffer) {
      throw new FailedPreconditionError(
        `A gpu value of shape ${formatShape(this.shape)} was read after its run ended; fetch it (or store it in a variable) to keep it.`,
      );
    }
    this.host = flattenKernelOutput(this.buffer.toArray(), shapeSize(this.shape));
    this.release();
    return this.host;
  }

  /** Frees the texture without reading it (the value is unreachable). */
  discard(): void {
    if (this.host) return;
    this.freed = true;
    this.release();
  }

  private release(): void {
    this.buffer?.delete();
    this.buffer = undefined;
    liveResidentArrays.delete(this);
  }
}

/** Resident arrays whose texture is still allocated: the session settles them at the end of each run. */
const liveResidentArrays = new Set<GpuResidentArray>();

/**
 * Ends a run's residency: values the caller can still reach (`keep`: fetched results, variable
 * values) are downloaded; every other texture is freed.
 */
export function settleResidentArrays(keep: (value: NDArray) => boolean): void {
  for (const value of [...liveResidentArrays]) {
    if (keep(value)) value.download();
    else value.discard();
  }
}

/** Number of resident arrays still holding device memory (for tests and diagnostics). */
export function liveResidentArrayCount(): number {
  return liveResidentArrays.size;
}

/**
 * A gpu.js result as one flat Float32Array: 1-D outputs come as a Float32Array, 2-D ones as an
 * array of equal-width rows (textures read back the same way).
 */
export function flattenKernelOutput(raw: unknown, size: number): Float32Array {
  if (raw instanceof Float32Array) return raw.length === size ? raw : raw.slice(0, size);
  const rows = raw as Float32Array[];
  const first = rows[0]!;
  const width = first.length;
  // webasm hands back row views into one fresh buffer: view it whole instead of copying.
  const last = rows[rows.length - 1]!;
  if (last.buffer === first.buffer && last.byteOffset === first.byteOffset + (rows.length - 1) * width * 4) {
    return new Float32Array(first.buffer, first.byteOffset, size);
  }
  const out = new Float32Array(size);
  for (let r = 0; r < rows.length; r++) out.set(rows[r]!, r * width);
  return out;
}
