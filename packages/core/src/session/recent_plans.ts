import type { Tensor } from '../graph/tensor.js';
import type { FetchTarget } from './fetches.js';
import type { ExecutionPlan } from './plan.js';

/** A cached plan as one run asked for it: the same targets and fed tensors, in the same order. @internal */
export interface RecentPlan {
  readonly targets: readonly FetchTarget[];
  /** Fed tensors in the order the run gave them. */
  readonly feeds: readonly Tensor[];
  readonly plan: ExecutionPlan;
  /** Slot of each fed value, in that same order. */
  readonly feedSlots: Int32Array;
}

/** Orders of the same fetch/feed set remembered per first target; a run asking in yet another order falls back to the key. */
const ORDERS_PER_TARGET = 8;

/**
 * Finds the plan of a run by the identity of its fetch targets and fed tensors. The plan cache
 * proper is keyed by names, and building that key (every `tensor.name` is a new string, then a
 * sort and a join) costs as much as running a small graph; a training loop asks for the same
 * few plans with the same objects every step, which this answers with a few comparisons.
 * @internal
 */
export class RecentPlans {
  private readonly byFirstTarget = new Map<FetchTarget | undefined, RecentPlan[]>();

  /** The remembered plan for exactly these targets and feeds (same objects, same order), if any. */
  find(targets: readonly FetchTarget[], feeds: readonly Tensor[]): RecentPlan | undefined {
    const candidates = this.byFirstTarget.get(targets[0]);
    if (candidates === undefined) return undefined;
    for (let c = 0; c < candidates.length; c++) {
      const entry = candidates[c]!;
      if (sameObjects(entry.targets, targets) && sameObjects(entry.feeds, feeds)) return entry;
    }
    return undefined;
  }

  /** Remembers `plan` (built for these targets and feeds) for later runs that ask the same way. */
  remember(targets: readonly FetchTarget[], feeds: readonly Tensor[], plan: ExecutionPlan): RecentPlan {
    const feedSlots = Int32Array.from(feeds, (tensor) => plan.feedSlots[plan.feedTensors.indexOf(tensor)]!);
    const entry: RecentPlan = { targets: targets.slice(), feeds: feeds.slice(), plan, feedSlots };
    const key = targets[0];
    const list = this.byFirstTarget.get(key);
    if (list === undefined) this.byFirstTarget.set(key, [entry]);
    else {
      if (list.length === ORDERS_PER_TARGET) list.shift();
      list.push(entry);
    }
    return entry;
  }

  clear(): void {
    this.byFirstTarget.clear();
  }
}

function sameObjects(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
