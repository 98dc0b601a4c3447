import type { DType, TypedArray } from '../dtype.js';
import { type HeapBlock, isReusedMemory, roundUp, standaloneBlock, tensorHeap, viewOfBlock } from './tensor_heap.js';
import { checkTensorBytes } from '../tensor_bytes_limit.js';

/** Element types a kernel may ask the arena for (outputs use DTypes; scratch may be float64). */
export type ArenaElement = DType | 'float64';

type ArenaArray = TypedArray | Float64Array;

/** One block of the arena and what currently uses it. */
interface ArenaBlock {
  readonly block: HeapBlock;
  /** Slots of the running plan that hold a value in this block. */
  refs: number;
  /** Whether the block is handed out in the current run (false: idle, reusable). */
  busy: boolean;
  /** Run in which the block was last handed out: blocks idle for a whole run are trimmed. */
  lastRun: number;
  /** The last view made of the block, reused when the next request asks for the same one. */
  view: ArenaArray | null;
  viewElement: ArenaElement | null;
}

const BYTES: Record<ArenaElement, number> = { float32: 4, int32: 4, bool: 1, float64: 8 };

/** Frees the blocks of arenas that were dropped without dispose() (a Session never closed). */
const abandoned = new FinalizationRegistry<Set<ArenaBlock>>((blocks) => {
  for (const entry of blocks) tensorHeap()?.free(entry.block);
});

/**
 * Output and scratch storage of one cached plan, reused run after run: a block is handed to the
 * kernel that asks, goes back to the plan's idle blocks as soon as the last slot that holds it is
 * released (so later steps of the same run reuse it) and at the end of the run. A plan whose
 * shapes don't change therefore allocates nothing after its first run. Blocks that stayed idle
 * for a whole run go back to the heap, so a plan keeps only what its latest run needed.
 * @internal
 */
export class PlanArena {
  private readonly idle = new Map<number, ArenaBlock[]>();
  private readonly all = new Set<ArenaBlock>();
  private readonly byView = new WeakMap<object, ArenaBlock>();
  /** Blocks handed out by the step that is running, not yet held by a slot. */
  private readonly pending: ArenaBlock[] = [];
  private run = 0;

  constructor() {
    abandoned.register(this, this.all, this);
  }

  /** `length` elements of `element`'s typed array, valid until the run ends; contents unspecified. */
  array(element: ArenaElement, length: number): ArenaArray {
    // The executor's allocation point: the session's maxTensorBytes is enforced here.
    checkTensorBytes(length * BYTES[element]);
    const bytes = roundUp(length * BYTES[element]);
    const idle = this.idle.get(bytes);
    const entry = idle !== undefined && idle.length > 0 ? idle.pop()! : this.newBlock(bytes);
    entry.busy = true;
    entry.lastRun = this.run;
    this.pending.push(entry);
    if (entry.viewElement === element && entry.view!.length === length) return entry.view!;
    const view = viewOfBlock(entry.block, element, length);
    entry.view = view;
    entry.viewElement = element;
    this.byView.set(view, entry);
    return view;
  }

  /** A slot now holds a value whose data is `data`. */
  retain(data: ArenaArray): void {
    const entry = this.blockOf(data);
    if (entry !== undefined) entry.refs++;
  }

  /** A slot that held a value with data `data` was cleared. */
  release(data: ArenaArray): void {
    const entry = this.blockOf(data);
    if (entry !== undefined && --entry.refs === 0 && entry.busy) this.makeIdle(entry);
  }

  /** After a step stored its outputs: what it allocated and no slot holds (scratch, unread outputs) is idle again. */
  settleStep(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    for (let i = 0; i < pending.length; i++) {
      const entry = pending[i]!;
      if (entry.refs === 0 && entry.busy) this.makeIdle(entry);
    }
    pending.length = 0;
  }

  /** The run is over (also after a failure): every block is idle; blocks unused in this run go back to the heap. */
  endRun(): void {
    if (this.pending.length !== 0) this.pending.length = 0;
    let unused = false;
    for (const entry of this.all) {
      entry.refs = 0;
      if (entry.busy) this.makeIdle(entry);
      if (entry.lastRun !== this.run) unused = true;
    }
    // Steady state (every block used this run) allocates nothing here.
    if (unused) {
      for (const [bytes, list] of this.idle) {
        const kept = list.filter((entry) => entry.lastRun === this.run || !this.drop(entry));
        if (kept.length === 0) this.idle.delete(bytes);
        else if (kept.length !== list.length) this.idle.set(bytes, kept);
      }
    }
    this.run++;
  }

  /** Gives every block back to the heap (the plan is gone). */
  dispose(): void {
    abandoned.unregister(this);
    for (const entry of this.all) tensorHeap()?.free(entry.block);
    this.all.clear();
    this.idle.clear();
    this.pending.length = 0;
  }

  /** Bytes this arena holds (busy or idle). */
  get bytes(): number {
    let total = 0;
    for (const entry of this.all) total += entry.block.bytes;
    return total;
  }

  private blockOf(data: ArenaArray): ArenaBlock | undefined {
    const entry = this.byView.get(data);
    if (entry !== undefined || this.all.size === 0 || !isReusedMemory(data.buffer)) return entry;
    // A view a kernel made of an arena array (a subarray): find the busy block that contains it.
    for (const candidate of this.all) {
      const { block } = candidate;
      if (
        candidate.busy &&
        block.buffer === data.buffer &&
        data.byteOffset >= block.offset &&
        data.byteOffset < block.offset + block.bytes
      ) {
        this.byView.set(data, candidate);
        return candidate;
      }
    }
    return undefined;
  }

  private makeIdle(entry: ArenaBlock): void {
    entry.busy = false;
    const key = entry.block.bytes;
    const list = this.idle.get(key);
    if (list === undefined) this.idle.set(key, [entry]);
    else list.push(entry);
  }

  private drop(entry: ArenaBlock): true {
    tensorHeap()?.free(entry.block);
    this.all.delete(entry);
    return true;
  }

  private newBlock(bytes: number): ArenaBlock {
    const block = tensorHeap()?.alloc(bytes) ?? standaloneBlock(bytes);
    const entry: ArenaBlock = { block, refs: 0, busy: false, lastRun: this.run, view: null, viewElement: null };
    this.all.add(entry);
    return entry;
  }
}
