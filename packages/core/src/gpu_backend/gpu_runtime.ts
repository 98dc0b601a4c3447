import { createRequire } from 'node:module';
import type { GPU } from 'gpu.js';
import { FailedPreconditionError, InvalidArgumentError } from '../errors.js';
import { type AccelerationEvidence, decideAcceleration, gatherEvidence } from './acceleration_probe.js';
import { GpuKernelCache, type KernelCacheStats } from './kernel_cache.js';

/**
 * The gpu.js backends tsflow can drive synchronously. `webgpu` is missing on purpose: gpu.js
 * only offers it under its Promise contract, while session kernels are synchronous.
 */
export type GpuMode = 'headlessgl' | 'webgl2' | 'webgl' | 'webasm' | 'cpu';

/** Modes that draw through a GL context (textures, pipelining); webasm and cpu run on the host CPU. */
const GL_MODES: ReadonlySet<GpuMode> = new Set(['headlessgl', 'webgl2', 'webgl']);

/** Best first: gpu.js's own auto order, restricted to the synchronous backends. */
const MODE_PREFERENCE: readonly GpuMode[] = ['headlessgl', 'webgl2', 'webgl', 'webasm', 'cpu'];

export interface GpuInfo {
  /** The gpu.js backend in use. */
  mode: GpuMode;
  /** What was asked for: 'auto' or a forced mode (setGpuMode or TSFLOW_GPU_MODE). */
  requested: GpuMode | 'auto';
  /**
   * True when kernels run on a GPU and beat the cpu kernels: a GL context on a hardware renderer
   * (software rasterisers such as llvmpipe don't count). Always false for webasm / cpu.
   */
  hardwareAccelerated: boolean;
  /** The GL renderer, when known (GL modes only). */
  renderer: string | null;
  /** Every mode usable in this process, best first. */
  availableModes: GpuMode[];
  /** Compiled-kernel cache figures (compiles, hits, time spent compiling). */
  kernelCache: KernelCacheStats;
}

type GpuJsModule = typeof import('gpu.js');
let gpuJsModule: GpuJsModule | undefined;

/**
 * gpu.js, loaded on first use: cpu-only programs never pay for it (or trip over a platform
 * where it cannot load). gpu.js is CommonJS, so a synchronous require works from ESM.
 */
function gpuJs(): GpuJsModule {
  if (!gpuJsModule) {
    try {
      gpuJsModule = createRequire(import.meta.url)('gpu.js') as GpuJsModule;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new FailedPreconditionError(
        `The gpu device needs gpu.js, which failed to load here (${why}); use device 'cpu'.`,
      );
    }
  }
  return gpuJsModule;
}

function modeSupported(mode: GpuMode): boolean {
  const { GPU } = gpuJs();
  switch (mode) {
    case 'headlessgl':
      return GPU.isHeadlessGLSupported;
    case 'webgl2':
      return GPU.isWebGL2Supported;
    case 'webgl':
      return GPU.isWebGLSupported;
    case 'webasm':
      return GPU.isWebAssemblySupported;
    case 'cpu':
      return true;
  }
}

function isGpuMode(value: unknown): value is GpuMode {
  return typeof value === 'string' && (MODE_PREFERENCE as readonly string[]).includes(value);
}

/** Usable gpu.js modes, best first. */
export function availableGpuModes(): GpuMode[] {
  return MODE_PREFERENCE.filter(modeSupported);
}

/** Whether `mode` draws through a GL context: only those can be GPU-accelerated. */
export function isGLMode(mode: GpuMode): boolean {
  return GL_MODES.has(mode);
}

/**
 * Owns the one gpu.js instance of the process and its compiled-kernel cache. Created lazily by
 * the first session that needs it; destroyed when the last such session closes, which frees
 * every compiled program and texture.
 * @internal
 */
export class GpuRuntime {
  readonly mode: GpuMode;
  readonly gpu: GPU;
  readonly kernels: GpuKernelCache;

  constructor(mode: GpuMode) {
    this.mode = mode;
    this.gpu = new (gpuJs().GPU)({ mode });
    // Only GL backends have device memory to keep values in; webasm/cpu return host arrays anyway.
    this.kernels = new GpuKernelCache(this.gpu, isGLMode(mode));
  }

  /** Kernels read and write GL textures (1-D indexed, pipelined between kernels). */
  get usesTextures(): boolean {
    return isGLMode(this.mode);
  }

  /**
   * GL mode, not a software renderer, and faster than cpu on a probe matMul. Probed once per
   * mode per process (the renderer does not change), so short-lived sessions don't re-probe.
   */
  get hardwareAccelerated(): boolean {
    if (!isGLMode(this.mode)) return false;
    let evidence = evidenceByMode.get(this.mode);
    if (!evidence) evidenceByMode.set(this.mode, (evidence = gatherEvidence(this.gpu)));
    return decideAcceleration(evidence);
  }

  get renderer(): string | null {
    return evidenceByMode.get(this.mode)?.renderer ?? null;
  }

  destroy(): void {
    this.kernels.clear();
    // gpu.js returns a Promise here; its work is already done synchronously for the sync backends.
    void this.gpu.destroy().catch(() => undefined);
  }
}

const evidenceByMode = new Map<GpuMode, AccelerationEvidence>();
/** setGpuMode's choice; until then TSFLOW_GPU_MODE, read on first use so cpu-only programs never trip over it. */
let requestedMode: GpuMode | 'auto' | undefined;
let runtime: GpuRuntime | undefined;
let openSessions = 0;

function readModeFromEnv(): GpuMode | 'auto' {
  const value = process.env['TSFLOW_GPU_MODE'];
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (!isGpuMode(value)) {
    throw new InvalidArgumentError(
      `TSFLOW_GPU_MODE: unknown gpu.js mode '${value}'; expected 'auto' or one of ${MODE_PREFERENCE.join(', ')}`,
    );
  }
  return value;
}

function requested(): GpuMode | 'auto' {
  return (requestedMode ??= readModeFromEnv());
}

function resolveMode(requested: GpuMode | 'auto'): GpuMode {
  if (requested === 'auto') return availableGpuModes()[0]!;
  if (!modeSupported(requested)) {
    throw new InvalidArgumentError(
      `gpu.js mode '${requested}' is not available in this process; available: ${availableGpuModes().join(', ')}`,
    );
  }
  return requested;
}

/**
 * Forces the gpu.js backend used by 'gpu' / 'auto' sessions ('auto' picks the best available).
 * Takes effect for sessions opened afterwards; throws when the mode is not usable here.
 *
 * @example
 * setGpuMode('cpu'); // run gpu kernels through gpu.js's plain-JS backend
 */
export function setGpuMode(mode: GpuMode | 'auto'): void {
  if (mode !== 'auto' && !isGpuMode(mode)) {
    throw new InvalidArgumentError(
      `setGpuMode: unknown mode '${String(mode)}'; expected 'auto' or one of ${MODE_PREFERENCE.join(', ')}`,
    );
  }
  resolveMode(mode); // validate now, not at the first kernel call
  requestedMode = mode;
  if (runtime && openSessions === 0) {
    runtime.destroy();
    runtime = undefined;
  }
}

/** The gpu.js mode 'gpu' sessions use now (or would use), without starting gpu.js. */
export function currentGpuMode(): GpuMode {
  return runtime?.mode ?? resolveMode(requested());
}

/**
 * Which gpu.js backend is (or would be) in use and what else is available.
 *
 * @example
 * gpuInfo(); // { mode: 'webasm', hardwareAccelerated: false, availableModes: ['webasm', 'cpu'], ... }
 */
export function gpuInfo(): GpuInfo {
  const mode = currentGpuMode();
  // Answering for a GL mode needs its context (and the probe); webasm / cpu never are.
  const live = isGLMode(mode) ? activeGpuRuntime() : runtime;
  return {
    mode,
    requested: requested(),
    hardwareAccelerated: live?.hardwareAccelerated ?? false,
    renderer: live?.renderer ?? null,
    availableModes: availableGpuModes(),
    kernelCache: runtime ? runtime.kernels.stats() : GpuKernelCache.emptyStats(),
  };
}

/** @internal The live runtime; sessions hold it between acquire and release. */
export function acquireGpuRuntime(): GpuRuntime {
  if (!runtime || (openSessions === 0 && runtime.mode !== resolveMode(requested()))) {
    runtime?.destroy();
    runtime = new GpuRuntime(resolveMode(requested()));
  }
  openSessions++;
  return runtime;
}

/** @internal Called once per acquire; the last release frees every compiled kernel. */
export function releaseGpuRuntime(): void {
  if (openSessions === 0) return;
  openSessions--;
  if (openSessions === 0 && runtime) {
    runtime.destroy();
    runtime = undefined;
  }
}

/** @internal The runtime kernels use; sessions guarantee one is acquired while they run. */
export function activeGpuRuntime(): GpuRuntime {
  if (!runtime) runtime = new GpuRuntime(resolveMode(requested()));
  return runtime;
}
