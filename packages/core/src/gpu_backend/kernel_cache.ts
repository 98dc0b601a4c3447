import type { GPU, IKernelRunShortcut } from 'gpu.js';

/** What a gpu kernel needs compiled: gpu.js source text plus its output grid. */
export interface GpuKernelSource {
  /** A `function (...) { ... }` in gpu.js's JS subset; shapes are baked in as literals. */
  source: string;
  /** gpu.js output grid: [x] or [x, y] (x is the fastest-varying, innermost index). */
  output: [number] | [number, number];
}

export interface KernelCacheStats {
  /** Distinct kernels compiled since the runtime started. */
  compiled: number;
  /** Kernel lookups served from the cache. */
  hits: number;
  /** Kernels held now. */
  size: number;
  /** Wall time of first calls (gpu.js compiles on first call), summed: the warm-up cost. */
  warmupMs: number;
  /** Estimated compile time: each kernel's first call minus its second, summed (kernels called twice). */
  compileMs: number;
}

/** Bounded so a stream of ever-changing shapes cannot hold compiled programs forever. */
const MAX_CACHED_KERNELS = 512;

interface CacheEntry {
  kernel: IKernelRunShortcut;
  /** Calls so far; the first two are timed (the first includes gpu.js's compile). */
  calls: number;
  firstMs: number;
}

/**
 * gpu.js kernels compiled once per key (op type + input shapes + dtypes + attrs, built by the
 * kernel) and reused; least recently used ones are destroyed past MAX_CACHED_KERNELS.
 * @internal
 */
export class GpuKernelCache {
  private readonly entries = new Map<string, CacheEntry>();
  private compiled = 0;
  private hits = 0;
  private warmupMs = 0;
  private compileMs = 0;

  /**
   * `pipeline`: kernels return GPU textures (GL backends) that the next kernel reads in place;
   * `immutable` gives every call a fresh texture, freed by its GpuResidentArray.
   */
  constructor(
    private readonly gpu: GPU,
    private readonly pipeline = false,
  ) {}

  static emptyStats(): KernelCacheStats {
    return { compiled: 0, hits: 0, size: 0, warmupMs: 0, compileMs: 0 };
  }

  /** Runs the kernel cached under `key` (compiling `describe()` on a miss) on `args`. */
  run(key: string, describe: () => GpuKernelSource, args: readonly unknown[]): unknown {
    let entry = this.entries.get(key);
    if (entry) {
      this.hits++;
      // Re-insert so Map order tracks recency for eviction.
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      const { source, output } = describe();
      const kernel = this.gpu.createKernel(source, {
        output,
        tactic: 'precision',
        precision: 'single',
        pipeline: this.pipeline,
        immutable: this.pipeline,
      });
      entry = { kernel, calls: 0, firstMs: 0 };
      this.entries.set(key, entry);
      this.compiled++;
      this.evictOverflow();
    }
    if (entry.calls >= 2) return entry.kernel(...(args as never[]));
    const start = performance.now();
    const result = entry.kernel(...(args as never[]));
    const ms = performance.now() - start;
    if (entry.calls === 0) {
      entry.firstMs = ms;
      this.warmupMs += ms;
    } else {
      this.compileMs += Math.max(0, entry.firstMs - ms);
    }
    entry.calls++;
    return result;
  }

  stats(): KernelCacheStats {
    return {
      compiled: this.compiled,
      hits: this.hits,
      size: this.entries.size,
      warmupMs: this.warmupMs,
      compileMs: this.compileMs,
    };
  }

  /** Destroys every compiled kernel (their programs and textures). */
  clear(): void {
    for (const entry of this.entries.values()) entry.kernel.destroy();
    this.entries.clear();
  }

  private evictOverflow(): void {
    while (this.entries.size > MAX_CACHED_KERNELS) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.get(oldest)!.kernel.destroy();
      this.entries.delete(oldest);
    }
  }
}
