import '../kernels/register_all_kernels.js';
import { FailedPreconditionError, InvalidArgumentError, TsflowError } from '../errors.js';
import { getDefaultGraph, Graph } from '../graph/graph.js';
import { Operation } from '../graph/operation.js';
import type { Tensor } from '../graph/tensor.js';
import type { Device, KernelContext, KernelSpec } from '../kernel_registry.js';
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape, isCompatibleShape } from '../ndarray/shape.js';
import { type Fetches, type FetchResult, flattenFetches } from './fetches.js';
import { type Feeds, resolveFeeds } from './feeds.js';
import { RecentPlans } from './recent_plans.js';
import { FetchedOutputMemory } from './fetched_output_memory.js';
import { buildPlan, type ExecutionPlan, type PlanStep } from './plan.js';
import { type DeviceInfo, SessionDeviceContext } from '../gpu_backend/device_context.js';
import { SessionVariableState } from './session_state.js';
import { GpuResidentArray } from '../gpu_backend/resident_array.js';
import { graphOwnedBuffers } from '../ops/constant_node.js';
import { DEFAULT_MAX_TENSOR_BYTES, TensorBytesLimitError, withTensorBytesLimit } from '../tensor_bytes_limit.js';
import { allocationRefused, checkMaxTensorBytes, checkPlanOutputs } from './tensor_limits.js';
import { PlanArena } from '../cpu_backend/plan_arena.js';
import { isReusedMemory } from '../cpu_backend/tensor_heap.js';
import { wasmKernels } from '../cpu_backend/wasm_kernels.js';
import { releaseThreads, retainThreads } from '../cpu_backend/parallel.js';
import { type CpuOptions, resolveCpuOptions } from './cpu_options.js';
import type { Fusion } from './remapper.js';

export type SessionDevice = Device | 'auto';

export interface SessionOptions {
  /** 'cpu' (default): typed-array kernels; 'gpu': gpu.js kernels; 'auto': picked per op. */
  device?: SessionDevice;
  /** 'gpu' only: warn once per op type (console) when an op falls back to cpu. Default true. */
  warnOnFallback?: boolean;
  /**
   * Largest tensor an op may produce, in bytes (default 4 GiB). A larger one is a
   * ResourceExhaustedError naming the op and the shape, raised before the memory is allocated.
   */
  maxTensorBytes?: number;
  /**
   * cpu: threads that large kernels (GEMM, convolutions, big elementwise ops) split their work
   * over; 1 runs everything on the calling thread. Default: TSFLOW_THREADS, else every available
   * core. Results don't depend on the split order between runs with the same count.
   */
  threads?: number;
  /**
   * cpu: fuse op chains when planning (MatMul/Conv2D + bias + relu, maxPool's argmax for its
   * gradient; see session.deviceInfo().cpu.fusions). Default true (TSFLOW_FUSION=0: false).
   */
  fusion?: boolean;
}

/** What session.deviceInfo() reports about cpu execution. */
export interface CpuInfo {
  threads: number;
  /** Whether the WebAssembly SIMD kernels run (else the JS kernels: TSFLOW_WASM=0 or no support). */
  wasmKernels: boolean;
  fusion: boolean;
  /** What the cached plans fused, one entry per rewrite. */
  fusions: Fusion[];
}

/**
 * Runs parts of a Graph. Holds the values of variables; two sessions on one graph are independent.
 *
 * @example
 * using sess = new Session(graph);
 * const [lossValue] = await sess.run([loss, trainOp], { 'x:0': batch });
 */
export class Session implements Disposable {
  readonly graph: Graph;
  readonly device: SessionDevice;
  private readonly state: SessionVariableState;
  private readonly planCache = new Map<string, ExecutionPlan>();
  private readonly recentPlans = new RecentPlans();
  private readonly deviceContext: SessionDeviceContext;
  private readonly cpu: CpuOptions;
  private readonly maxTensorBytes: number;
  private closed = false;
  /**
   * The plan and values of the run in progress (runs are synchronous and never nest), read by the
   * callbacks below: those are made once, not as closures per run.
   */
  private runPlan: ExecutionPlan | undefined;
  private runValues: (NDArray | undefined)[] = [];
  private readonly executeRun = (): void => this.execute(this.runPlan!, this.runValues);
  private readonly liveInRun = (value: NDArray): boolean => sharesBuffer(this.runValues, value);
  private readonly keptAfterRun = (value: NDArray): boolean =>
    this.state.owned.has(value) || fetchedIn(this.runPlan!, this.runValues, value);

  constructor(graph: Graph = getDefaultGraph(), options: SessionOptions = {}) {
    if (!(graph instanceof Graph)) throw new InvalidArgumentError('Session: graph must be a Graph');
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(
        `Session: options must be an object such as { device: 'gpu' }, got ${JSON.stringify(options)}`,
      );
    }
    const device = options.device ?? 'cpu';
    if (device !== 'cpu' && device !== 'gpu' && device !== 'auto') {
      throw new InvalidArgumentError(`Session: unknown device '${String(device)}'; expected 'cpu', 'gpu' or 'auto'`);
    }
    this.graph = graph;
    this.device = device;
    this.state = new SessionVariableState(graph);
    this.deviceContext = new SessionDeviceContext(device, options.warnOnFallback ?? true);
    this.cpu = resolveCpuOptions(options);
    if (this.cpu.threads > 1) retainThreads();
    this.maxTensorBytes = checkMaxTensorBytes(options.maxTensorBytes) ?? DEFAULT_MAX_TENSOR_BYTES;
  }

  /**
   * Runs the ops needed for `fetches` and returns their values in the same structure:
   * tensors become NDArrays, operations null.
   */
  async run<const F extends Fetches>(fetches: F, feeds?: Feeds): Promise<FetchResult<F>> {
    return this.runSync(fetches, feeds) as FetchResult<F>;
  }

  /** @internal Synchronous core of `run` (kernels are synchronous). */
  runSync(fetches: Fetches, feeds?: Feeds): unknown {
    if (this.closed) throw new FailedPreconditionError('Attempted to use a closed Session.');
    const flat = flattenFetches(fetches, this.graph);
    const fed = resolveFeeds(feeds, this.graph);
    const recent =
      this.recentPlans.find(flat.targets, fed.tensors) ??
      this.recentPlans.remember(flat.targets, fed.tensors, this.planFor(flat.targets, fed.tensors.slice()));
    const plan = recent.plan;
    this.state.beginRun();
    const values: (NDArray | undefined)[] = new Array(plan.slotCount);
    for (let i = 0; i < fed.values.length; i++) values[recent.feedSlots[i]!] = fed.values[i];
    const results = new Array<NDArray | null>(flat.targets.length);
    this.runPlan = plan;
    this.runValues = values;
    this.state.liveInRun = this.liveInRun;
    try {
      try {
        withTensorBytesLimit(this.maxTensorBytes, this.executeRun);
      } finally {
        this.state.liveInRun = undefined;
        // GPU-resident values end with the run: fetched and variable values come to the host, the rest are freed.
        this.deviceContext.finishRun(this.keptAfterRun);
      }
      for (let i = 0; i < flat.targets.length; i++) {
        const s = plan.fetchSlots[i]!;
        if (s < 0) results[i] = null;
        else {
          const value = values[s]!;
          // An array made for this fetch alone (FetchedOutputMemory) is the caller's as it is.
          results[i] = value.data === plan.fetchMemory[i]?.fresh ? value : this.detach(value);
        }
      }
    } finally {
      this.runPlan = undefined;
      this.runValues = NO_VALUES;
      // Fetched values are copies by now: everything the run allocated is reusable.
      plan.arena?.endRun();
    }
    return flat.rebuild(results);
  }

  /** Names of global variables that have no value in this session. */
  uninitializedVariableNames(): string[] {
    const vars = this.graph.getCollection<{ name: string }>('variables');
    return vars.map((v) => v.name).filter((name) => !this.state.isInitialized(name));
  }

  /** Frees variable values and cached plans; later runs throw. */
  close(): void {
    if (!this.closed && this.cpu.threads > 1) releaseThreads();
    this.closed = true;
    this.state.clear();
    for (const plan of this.planCache.values()) plan.arena?.dispose();
    this.planCache.clear();
    this.recentPlans.clear();
    this.deviceContext.close();
  }

  /**
   * Where this session's ops run: the gpu.js mode, the placement policy and, for 'gpu', which
   * op types fell back to cpu and why.
   *
   * @example
   * new Session(g, { device: 'gpu' }).deviceInfo().gpuMode; // 'webasm' without a GL context
   */
  deviceInfo(): DeviceInfo & { cpu: CpuInfo } {
    const fusions = [...this.planCache.values()].flatMap((plan) => plan.fusions);
    return {
      ...this.deviceContext.info(),
      cpu: { threads: this.cpu.threads, wasmKernels: wasmKernels() !== null, fusion: this.cpu.fusion, fusions },
    };
  }

  [Symbol.dispose](): void {
    this.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Number of cached execution plans (one per distinct fetch + feed set). */
  get cachedPlanCount(): number {
    return this.planCache.size;
  }

  private planFor(targets: readonly (Tensor | Operation)[], feedTensors: Tensor[]): ExecutionPlan {
    feedTensors.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const key = `${targets.map((t) => (t instanceof Operation ? `^${t.name}` : t.name)).join(',')}|${feedTensors.map((t) => t.name).join(',')}`;
    let plan = this.planCache.get(key);
    if (!plan) {
      plan = buildPlan(targets, feedTensors, this.device, this.deviceContext.resolveKernel, {
        fusion: this.cpu.fusion,
      });
      checkPlanOutputs(plan, this.maxTensorBytes);
      // gpu sessions keep fresh arrays: gpu.js may hold on to a host array it was given.
      if (this.device === 'cpu') {
        const arena = new PlanArena();
        plan.arena = arena;
        for (const step of plan.steps) step.outputMemory = FetchedOutputMemory.forStep(step, plan.fetchSlots, arena);
        plan.fetchMemory = producers(plan).map((step) => step?.outputMemory);
      }
      this.planCache.set(key, plan);
    }
    return plan;
  }

  private execute(plan: ExecutionPlan, values: (NDArray | undefined)[]): void {
    const state = this.state;
    const arena = plan.arena;
    const arenaSlots = plan.arenaSlots;
    const steps = plan.steps;
    for (let n = 0; n < steps.length; n++) {
      const step = steps[n]!;
      const inputSlots = step.inputSlots;
      const inputs = new Array<NDArray>(inputSlots.length);
      for (let i = 0; i < inputs.length; i++) inputs[i] = values[inputSlots[i]!]!;
      const outputs = this.runStep(step, inputs, state, arena);
      const outputSlots = step.outputSlots;
      const retain = arena !== undefined && step.inArena;
      // A fresh fetched output is no arena memory: no lookup needed to know it.
      const fresh = step.outputMemory?.fresh;
      for (let i = 0; i < outputSlots.length; i++) {
        const s = outputSlots[i]!;
        if (s < 0) continue;
        const value = outputs[i]!;
        values[s] = value;
        if (retain && value.data !== fresh) arena.retain(value.data);
      }
      // Storage the step used and no slot holds (scratch, unread outputs) is free again; so is
      // that of values whose last reader this step was.
      arena?.settleStep();
      const captures = step.captures;
      for (let i = 0; i < captures.length; i++) values[captures[i]!.slot] = state.readVariable(captures[i]!.variable);
      const release = step.release;
      for (let i = 0; i < release.length; i++) {
        const s = release[i]!;
        const value = values[s];
        values[s] = undefined;
        if (arena !== undefined && value !== undefined && arenaSlots[s] === 1) arena.release(value.data);
      }
    }
  }

  private runStep(
    step: PlanStep,
    inputs: NDArray[],
    state: SessionVariableState,
    memory: PlanArena | undefined,
  ): NDArray[] {
    let spec: KernelSpec = step.kernel;
    if (spec.supports && step.fallback && !spec.supports(inputs, step.op)) {
      this.deviceContext.noteFallback(step.op, spec, inputs);
      spec = step.fallback;
    }
    // The step's own kernel keeps its context across runs; a fallback gets a fresh one.
    const ctx =
      spec === step.kernel
        ? (step.context ??= this.contextFor(step, spec, state, memory))
        : this.contextFor(step, spec, state, memory);
    step.outputMemory?.rearm();
    let result: NDArray | NDArray[];
    try {
      result = spec.kernel(inputs, ctx);
    } catch (error) {
      if (error instanceof TensorBytesLimitError) throw allocationRefused(step.op, error);
      if (error instanceof TsflowError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new InvalidArgumentError(
        `Error running '${step.op.name}' (op: '${step.op.type}') on ${spec.device}: ${message}`,
      );
    }
    const outputs = Array.isArray(result) ? result : [result];
    checkOutputs(step.op, outputs);
    return outputs;
  }

  private contextFor(
    step: PlanStep,
    spec: KernelSpec,
    state: SessionVariableState,
    memory: PlanArena | undefined,
  ): KernelContext {
    const op = step.op;
    return spec.device === 'cpu'
      ? {
          op,
          attrs: op.attrs,
          state,
          device: spec.device,
          memory: step.outputMemory ?? memory,
          stepCache: step.cache,
          threads: this.cpu.threads,
        }
      : { op, attrs: op.attrs, state, device: spec.device };
  }

  /**
   * Fetched values never alias session-owned storage (variables, constants) or memory that later
   * runs reuse (the plan's arena), views included.
   */
  private detach(value: NDArray): NDArray {
    const buffer = value.data.buffer;
    // Arena memory first: what most fetched values of a cpu session are.
    if (
      isReusedMemory(buffer) ||
      this.state.owned.has(value) ||
      graphOwnedBuffers.has(buffer) ||
      this.state.holdsBuffer(buffer)
    ) {
      return new NDArray(value.dtype, value.shape, value.data.slice());
    }
    return value;
  }
}

const NO_VALUES: (NDArray | undefined)[] = [];

/** The step that computes each fetch (undefined for operations and fed tensors). */
function producers(plan: ExecutionPlan): (PlanStep | undefined)[] {
  const bySlot = new Map<number, PlanStep>();
  for (const step of plan.steps) for (const s of step.outputSlots) if (s >= 0) bySlot.set(s, step);
  return Array.from(plan.fetchSlots, (s) => bySlot.get(s));
}

/** Whether a value of the run (not yet freed) is `value` or a view of its buffer. */
function sharesBuffer(values: readonly (NDArray | undefined)[], value: NDArray): boolean {
  const buffer = value.data.buffer;
  for (const v of values) {
    if (v === undefined) continue;
    if (v === value) return true;
    // A value still on the gpu has no host buffer to share (reading `data` would download it).
    if (v instanceof GpuResidentArray && v.deviceBuffer !== undefined) continue;
    // Same buffer and overlapping bytes (values in the tensor heap all share one buffer).
    const data = v.data;
    if (
      data.buffer === buffer &&
      data.byteOffset < value.data.byteOffset + value.data.byteLength &&
      value.data.byteOffset < data.byteOffset + data.byteLength
    ) {
      return true;
    }
  }
  return false;
}

function fetchedIn(plan: ExecutionPlan, values: readonly (NDArray | undefined)[], value: NDArray): boolean {
  for (const s of plan.fetchSlots) if (s >= 0 && values[s] === value) return true;
  return false;
}

function checkOutputs(op: Operation, outputs: NDArray[]): void {
  if (outputs.length !== op.outputs.length) {
    throw new InvalidArgumentError(
      `Kernel for '${op.name}' (op: '${op.type}') returned ${outputs.length} outputs, expected ${op.outputs.length}.`,
    );
  }
  for (let i = 0; i < outputs.length; i++) {
    const value = outputs[i]!;
    const tensor = op.outputs[i]!;
    if (value.dtype !== tensor.dtype || !isCompatibleShape(value.shape, tensor.shape)) {
      throw new InvalidArgumentError(
        `Op '${op.name}' (op: '${op.type}') produced ${value.dtype}${formatShape(value.shape)} for output ${i}, which was inferred as ${tensor.dtype}${formatShape(tensor.shape)}.`,
      );
    }
  }
}
