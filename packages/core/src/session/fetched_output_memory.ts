import { allocTypedArray, type DType, type TypedArray } from '../dtype.js';
import type { KernelMemory } from '../kernel_registry.js';
import type { PlanArena } from '../cpu_backend/plan_arena.js';
import { shapeSize } from '../ndarray/shape.js';
import type { PlanStep } from './plan.js';

/** Largest fetched output (elements) that skips the arena: a small fresh array costs less than arena memory plus a copy. */
const SMALL_OUTPUT = 1024;

/**
 * The memory of a plan step whose one output is fetched (a loss, a metric): that output gets a
 * fresh array the caller can keep, so Session.run hands it out without copying it out of the
 * arena; scratch still comes from the arena. The output is recognised by its static dtype and
 * size; should a kernel ask for a scratch array of exactly that kind first, the scratch is the
 * fresh one and the output, in the arena, is copied out as before — slower, never wrong.
 * @internal
 */
export class FetchedOutputMemory implements KernelMemory {
  /** The fresh array of the step's current run (null until the kernel asked for it). */
  fresh: TypedArray | null = null;

  private constructor(
    private readonly arena: PlanArena,
    private readonly dtype: DType,
    private readonly length: number,
  ) {}

  /** The memory for `step`, or undefined unless its only used output is fetched, small and of a known size. */
  static forStep(step: PlanStep, fetchSlots: Int32Array, arena: PlanArena): FetchedOutputMemory | undefined {
    if (!step.inArena) return undefined;
    let output = -1;
    for (let i = 0; i < step.outputSlots.length; i++) {
      if (step.outputSlots[i]! < 0) continue;
      if (output >= 0) return undefined;
      output = i;
    }
    if (output < 0 || !fetchSlots.includes(step.outputSlots[output]!)) return undefined;
    const tensor = step.op.outputs[output]!;
    const shape = tensor.shape;
    if (shape === null || shape.some((d) => d === null)) return undefined;
    const length = shapeSize(shape as number[]);
    return length <= SMALL_OUTPUT ? new FetchedOutputMemory(arena, tensor.dtype, length) : undefined;
  }

  /** Called before each run of the step: its next output-sized request gets a fresh array again. */
  rearm(): void {
    this.fresh = null;
  }

  array(element: DType | 'float64', length: number): TypedArray | Float64Array {
    if (this.fresh === null && element === this.dtype && length === this.length) {
      this.fresh = allocTypedArray(element, length);
      return this.fresh;
    }
    return this.arena.array(element, length);
  }
}
