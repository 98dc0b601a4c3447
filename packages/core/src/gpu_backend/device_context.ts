import { InvalidArgumentError } from '../errors.js';
import type { Operation } from '../graph/operation.js';
import {
  type Device,
  defaultKernelResolver,
  getKernel,
  type KernelResolver,
  type KernelSpec,
  registeredOpTypes,
} from '../kernel_registry.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { gpuUnsupportedReason, isInvalidInputReason } from './gpu_kernel.js';
import {
  acquireGpuRuntime,
  currentGpuMode,
  type GpuMode,
  type GpuRuntime,
  isGLMode,
  releaseGpuRuntime,
} from './gpu_runtime.js';
import type { KernelCacheStats } from './kernel_cache.js';
import { liveResidentArrayCount, settleResidentArrays } from './resident_array.js';
import { describePlacement, HOST_OP_TYPES, preferGpu } from './placement.js';

/** One op type that a 'gpu' session ran on cpu, and why. */
export interface GpuFallback {
  opType: string;
  /** First op of that type that fell back. */
  opName: string;
  reason: string;
}

/** What `session.deviceInfo()` reports. */
export interface DeviceInfo {
  /** The session's device option. */
  device: Device | 'auto';
  /** gpu.js backend used by gpu kernels; null for cpu sessions. */
  gpuMode: GpuMode | null;
  /** Whether gpu kernels run on a GPU (a GL context) rather than emulated on the host. */
  hardwareAccelerated: boolean;
  /** How ops are placed on this device. */
  placement: string;
  /** Op types that ran on cpu although the device is 'gpu' (sorted). */
  fallbackOps: string[];
  /** Why each of `fallbackOps` fell back. */
  fallbacks: GpuFallback[];
  /** Compiled gpu.js kernels (process-wide); null for cpu sessions. */
  kernelCache: KernelCacheStats | null;
}

/**
 * The gpu.js mode, or null where gpu.js cannot load ('auto' then simply runs everything on cpu).
 * A bad TSFLOW_GPU_MODE is the user's setting, not the platform's: it still raises its error.
 */
function gpuModeIfLoadable(): GpuMode | null {
  try {
    return currentGpuMode();
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
    return null;
  }
}

/** Op types with no gpu kernel by design, with the reason reported for them on 'gpu'. */
const RANDOM_REASON =
  'seeded random streams are drawn on the host so that a seed gives the same values on every device';
// Only the cpu plan-time fusion creates these: a 'gpu' session never contains one.
const CPU_FUSION_REASON =
  'made only by the cpu plan-time fusion (session/remapper.ts); gpu sessions run the unfused ops, which have gpu kernels';
const HOST_COMPUTED_REASONS: Readonly<Record<string, string>> = {
  RandomNormal: RANDOM_REASON,
  RandomUniform: RANDOM_REASON,
  TruncatedNormal: RANDOM_REASON,
  _FusedMatMul: CPU_FUSION_REASON,
  _FusedConv2D: CPU_FUSION_REASON,
  MaxPoolWithArgmax: CPU_FUSION_REASON,
  MaxPoolGradWithArgmax: CPU_FUSION_REASON,
};

/** Why an op type without a gpu kernel runs on cpu in a 'gpu' session. */
function noGpuKernelReason(opType: string): string {
  return HOST_COMPUTED_REASONS[opType] ?? `no gpu.js kernel is registered for op type '${opType}'`;
}

/**
 * Op types that always run on cpu in a 'gpu' session, with the reason: the static part of the
 * fallback report (input-dependent fallbacks, e.g. int32 beyond 2^24, show in deviceInfo()).
 *
 * @example
 * opTypesWithoutGpuKernel(); // [{ opType: 'RandomNormal', reason: 'seeded random streams ...' }, ...]
 */
export function opTypesWithoutGpuKernel(): { opType: string; reason: string }[] {
  const gpu = new Set(registeredOpTypes('gpu'));
  return registeredOpTypes('cpu')
    .filter((opType) => !gpu.has(opType) && !HOST_OP_TYPES.has(opType))
    .map((opType) => ({ opType, reason: noGpuKernelReason(opType) }));
}

/** Op types already warned about in this process: one console line each, not one per run. */
const warnedOpTypes = new Set<string>();

/**
 * A session's view of its device: kernel placement, fallback bookkeeping and the gpu.js
 * runtime it holds while open.
 * @internal
 */
export class SessionDeviceContext {
  readonly device: Device | 'auto';
  readonly resolveKernel: KernelResolver;
  private readonly runtime: GpuRuntime | undefined;
  private readonly fallbacksByType = new Map<string, GpuFallback>();
  private readonly notedOps = new Set<Operation>();
  /** The GL mode an 'auto' session found unaccelerated (for its placement description). */
  private autoMode: GpuMode | undefined;
  private closed = false;

  constructor(
    device: Device | 'auto',
    private readonly warn: boolean = true,
  ) {
    this.device = device;
    this.runtime = this.acquireRuntime(device);
    if (device === 'gpu') this.resolveKernel = (op) => this.resolveForGpu(op);
    else if (device === 'auto' && this.runtime) this.resolveKernel = (op) => resolveForAuto(op, true);
    else this.resolveKernel = (op) => defaultKernelResolver(op, 'cpu');
  }

  /**
   * 'gpu' always holds the runtime. 'auto' holds it only where gpu.js is GPU-accelerated;
   * elsewhere 'auto' is plain cpu: no gpu.js instance, no per-op checks.
   */
  private acquireRuntime(device: Device | 'auto'): GpuRuntime | undefined {
    if (device === 'gpu') return acquireGpuRuntime();
    if (device !== 'auto') return undefined;
    const mode = gpuModeIfLoadable();
    if (mode === null || !isGLMode(mode)) return undefined;
    const runtime = acquireGpuRuntime();
    if (runtime.hardwareAccelerated) return runtime;
    this.autoMode = runtime.mode;
    releaseGpuRuntime();
    return undefined;
  }

  /** Called by the session when a gpu kernel declined its inputs and the cpu kernel ran. */
  noteFallback(op: Operation, gpuSpec: KernelSpec, inputs: readonly NDArray[]): void {
    if (this.device !== 'gpu' || this.notedOps.has(op)) return;
    const reason = gpuUnsupportedReason(gpuBaseSpec(gpuSpec), inputs, op) ?? 'the gpu kernel declined these inputs';
    // Invalid inputs are not a device limitation: the cpu kernel is about to raise their error.
    if (isInvalidInputReason(reason)) return;
    this.notedOps.add(op);
    this.record(op, reason);
  }

  /** End of a run: GPU-resident values that `keep` accepts are downloaded, the others freed. */
  finishRun(keep: (value: NDArray) => boolean): void {
    if (this.runtime && liveResidentArrayCount() > 0) settleResidentArrays(keep);
  }

  info(): DeviceInfo {
    const fallbacks = [...this.fallbacksByType.values()].sort((a, b) => (a.opType < b.opType ? -1 : 1));
    const mode = this.runtime?.mode ?? null;
    return {
      device: this.device,
      gpuMode: this.device === 'cpu' ? null : (mode ?? this.autoMode ?? gpuModeIfLoadable()),
      hardwareAccelerated: this.runtime !== undefined && !this.closed && this.runtime.hardwareAccelerated,
      placement: this.placement(),
      fallbackOps: fallbacks.map((f) => f.opType),
      fallbacks,
      kernelCache: this.runtime && !this.closed ? this.runtime.kernels.stats() : null,
    };
  }

  /** Gives the gpu.js runtime back; the last session to do so frees every compiled kernel. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.runtime) releaseGpuRuntime();
  }

  private placement(): string {
    if (this.device === 'cpu') return 'cpu kernels for every op';
    if (this.device === 'gpu')
      return 'gpu.js kernels for every op that has one; the rest on cpu, listed in fallbackOps';
    const mode = this.runtime?.mode ?? this.autoMode ?? gpuModeIfLoadable();
    if (mode === null) return 'cpu for every op: gpu.js is not loadable here';
    return describePlacement(mode, this.runtime !== undefined);
  }

  private resolveForGpu(op: Operation): ReturnType<KernelResolver> {
    const resolved = defaultKernelResolver(op, 'gpu');
    if (resolved.kernel.device !== 'gpu' && !HOST_OP_TYPES.has(op.type)) {
      this.record(op, noGpuKernelReason(op.type));
    }
    return resolved;
  }

  private record(op: Operation, reason: string): void {
    if (this.fallbacksByType.has(op.type)) return;
    this.fallbacksByType.set(op.type, { opType: op.type, opName: op.name, reason });
    if (this.warn && !warnedOpTypes.has(op.type)) {
      warnedOpTypes.add(op.type);
      console.warn(`tsflow: op '${op.name}' (op: '${op.type}') runs on cpu in a 'gpu' session: ${reason}.`);
    }
  }
}

/**
 * The 'auto' choice for `op` (`accelerated`: gpu.js runs on a GPU): host ops and ops without a gpu kernel
 * get the cpu kernel; the rest a gpu kernel whose `supports` first asks the placement policy
 * about the concrete inputs (falling back to cpu when the policy or the kernel says no).
 */
export function resolveForAuto(op: Operation, accelerated: boolean): ReturnType<KernelResolver> {
  const cpu = defaultKernelResolver(op, 'cpu');
  const gpu = getKernel(op.type, 'gpu');
  if (!gpu || HOST_OP_TYPES.has(op.type) || !accelerated) return cpu;
  const placed: KernelSpec = {
    ...gpu,
    supports: (inputs, planned) => preferGpu(planned, inputs, true) && (gpu.supports?.(inputs, planned) ?? true),
  };
  autoBase.set(placed, gpu);
  return { kernel: placed, fallback: cpu.kernel };
}

/** 'auto' wraps gpu specs with the placement check; fallback reasons come from the original. */
const autoBase = new WeakMap<KernelSpec, KernelSpec>();

function gpuBaseSpec(spec: KernelSpec): KernelSpec {
  return autoBase.get(spec) ?? spec;
}
