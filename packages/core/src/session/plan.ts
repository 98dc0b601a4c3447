import { InvalidArgumentError } from '../errors.js';
import { Operation } from '../graph/operation.js';
import type { Tensor } from '../graph/tensor.js';
import type { Device, KernelContext, KernelResolver, KernelSpec, StepCache } from '../kernel_registry.js';
import { formatShape } from '../ndarray/shape.js';
import type { FetchTarget } from './fetches.js';
import type { PlanArena } from '../cpu_backend/plan_arena.js';
import { planVariableReads, type VariableCapture } from './variable_reads.js';
import { type Fusion, remap } from './remapper.js';
import type { FetchedOutputMemory } from './fetched_output_memory.js';

/** One op to run: its kernel, where its inputs come from and where its outputs go. @internal */
export interface PlanStep {
  op: Operation;
  kernel: KernelSpec;
  /** Fallback cpu kernel when `kernel` is a gpu kernel whose `supports` may refuse. */
  fallback: KernelSpec | undefined;
  inputSlots: Int32Array;
  /** Slot per output, -1 for outputs nobody reads. */
  outputSlots: Int32Array;
  /** Slots whose last reader is this step: freed after it runs. */
  release: Int32Array;
  /** What the kernel derived from input shapes, kept across runs. */
  cache: StepCache;
  /** Variables to read into a slot right after this step ran (for consumers ordered after it). */
  captures: readonly { variable: string; slot: number }[];
  /**
   * Whether an output may live in the plan's arena. Constants and variable reads never do: the
   * executor skips the arena's bookkeeping for them (a lookup per value, per run).
   */
  inArena: boolean;
  /** The kernel context of `kernel`, built on the first run (everything in it lives as long as the plan). */
  context: KernelContext | undefined;
  /** cpu: the memory that hands this step's fetched output out fresh (see FetchedOutputMemory). */
  outputMemory: FetchedOutputMemory | undefined;
}

/** The pruned, ordered program for one (fetch set, feed set). @internal */
export interface ExecutionPlan {
  steps: PlanStep[];
  slotCount: number;
  /** Slot of each fed tensor, in the order of `feedTensors`. */
  feedSlots: Int32Array;
  feedTensors: Tensor[];
  /** Slot per fetch target (-1 for operations). */
  fetchSlots: Int32Array;
  /** cpu: per fetch, the memory that made it fresh (see FetchedOutputMemory), if any. */
  fetchMemory: (FetchedOutputMemory | undefined)[];
  /** 1 for slots whose value may live in the arena (see PlanStep.inArena); fed values and captures don't. */
  arenaSlots: Uint8Array;
  /** Reused output and scratch storage of cpu sessions' plans (see PlanArena). */
  arena?: PlanArena;
  /** What the remapper fused in this plan (see remapper.ts). */
  fusions: Fusion[];
}

/**
 * Prunes the graph to the ops that `targets` need (data and control ancestors, stopping at fed
 * tensors), orders them topologically and assigns value slots.
 */
export function buildPlan(
  targets: readonly FetchTarget[],
  feedTensors: readonly Tensor[],
  device: Device | 'auto',
  resolveKernel: KernelResolver,
  { fusion = false }: { fusion?: boolean } = {},
): ExecutionPlan {
  const fed = new Set<Tensor>(feedTensors);
  const fullOrder = topologicalOrder(targets, fed);
  const fetched = new Set<Tensor>();
  for (const t of targets) if (!(t instanceof Operation)) fetched.add(t);
  const reads = planVariableReads(fullOrder, fed, fetched);
  const unfused =
    reads.unusedSnapshots.size === 0 ? fullOrder : fullOrder.filter((op) => !reads.unusedSnapshots.has(op));
  // Fused ops only have cpu kernels.
  const remapped = fusion && device === 'cpu' ? remap(unfused, fetched, new Set(reads.redirects.keys())) : undefined;
  const order = remapped?.order ?? unfused;
  const alias = remapped?.alias;
  const slotOf = new Map<Tensor, number>();
  let slotCount = 0;
  const slot = (tensor: Tensor): number => {
    const t = alias?.get(tensor) ?? tensor;
    let s = slotOf.get(t);
    if (s === undefined) slotOf.set(t, (s = slotCount++));
    return s;
  };
  const captureSlots = new Map<VariableCapture, number>();
  const capturesAfter = new Map<Operation, { variable: string; slot: number }[]>();
  const captureSlot = (capture: VariableCapture): number => {
    let s = captureSlots.get(capture);
    if (s === undefined) {
      captureSlots.set(capture, (s = slotCount++));
      let list = capturesAfter.get(capture.after);
      if (!list) capturesAfter.set(capture.after, (list = []));
      list.push({ variable: capture.variable, slot: s });
    }
    return s;
  };
  const feedSlots = Int32Array.from(feedTensors, slot);
  for (const op of order) {
    if (op.type === 'Placeholder' && !op.outputs.some((t) => fed.has(t))) throw missingFeedError(op.outputs[0]!);
  }
  const inputSlots = order.map((op) => {
    const redirected = reads.redirects.get(op);
    return Int32Array.from(op.inputs, (input, i) => {
      const capture = redirected?.get(i);
      return capture ? captureSlot(capture) : slot(input);
    });
  });
  // Which slots are read, and by which step last, so their values can be freed early.
  const lastReader = new Map<number, number>();
  inputSlots.forEach((slots, stepIndex) => {
    for (const s of slots) lastReader.set(s, stepIndex);
  });
  const fetchSlots = Int32Array.from(targets, (t) => (t instanceof Operation ? -1 : slot(t)));
  const pinned = new Set<number>([...fetchSlots].filter((s) => s >= 0));
  const releaseAt: number[][] = order.map(() => []);
  for (const [s, step] of lastReader) if (!pinned.has(s)) releaseAt[step]!.push(s);
  const steps = order.map((op, i): PlanStep => {
    const { kernel, fallback } = resolveKernel(op, device);
    return {
      op,
      kernel,
      fallback,
      inputSlots: inputSlots[i]!,
      outputSlots: Int32Array.from(op.outputs, (t) => (slotOf.has(t) ? slotOf.get(t)! : -1)),
      release: Int32Array.from(releaseAt[i]!),
      cache: { shapes: null, value: undefined },
      captures: capturesAfter.get(op) ?? NO_CAPTURES,
      inArena: !OUTSIDE_ARENA.has(op.type),
      context: undefined,
      outputMemory: undefined,
    };
  });
  const arenaSlots = new Uint8Array(slotCount);
  for (const step of steps) {
    if (!step.inArena) continue;
    for (const s of step.outputSlots) if (s >= 0) arenaSlots[s] = 1;
  }
  return {
    steps,
    slotCount,
    feedSlots,
    feedTensors: feedTensors.slice(),
    fetchSlots,
    arenaSlots,
    fetchMemory: [],
    fusions: remapped?.fusions ?? [],
  };
}

const NO_CAPTURES: readonly { variable: string; slot: number }[] = [];

/** Op types whose kernels return graph- or session-owned values, never the plan arena's memory. */
const OUTSIDE_ARENA: ReadonlySet<string> = new Set(['Const', 'VariableV2']);

/** Ops needed for `targets`, dependencies first (iterative DFS: deep graphs don't overflow the stack). */
function topologicalOrder(targets: readonly FetchTarget[], fed: ReadonlySet<Tensor>): Operation[] {
  const order: Operation[] = [];
  const state = new Map<Operation, 1 | 2>(); // 1 = on stack, 2 = done
  const roots: Operation[] = [];
  for (const t of targets) {
    if (t instanceof Operation) roots.push(t);
    else if (!fed.has(t)) roots.push(t.op);
  }
  for (const root of roots) {
    if (state.get(root) === 2) continue;
    const stack: { op: Operation; deps: Operation[]; next: number }[] = [];
    const push = (op: Operation): void => {
      state.set(op, 1);
      const deps: Operation[] = [];
      for (const input of op.inputs) if (!fed.has(input)) deps.push(input.op);
      for (const c of op.controlInputs) deps.push(c);
      stack.push({ op, deps, next: 0 });
    };
    push(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++]!;
        const s = state.get(dep);
        if (s === undefined) push(dep);
        else if (s === 1) throw new InvalidArgumentError(`Graph has a cycle through operation '${dep.name}'.`);
      } else {
        stack.pop();
        state.set(frame.op, 2);
        order.push(frame.op);
      }
    }
  }
  return order;
}

export function missingFeedError(tensor: Tensor): InvalidArgumentError {
  return new InvalidArgumentError(
    `You must feed a value for placeholder tensor '${tensor.op.name}' with dtype ${tensor.dtype} and shape ${formatShape(tensor.shape)}`,
  );
}
