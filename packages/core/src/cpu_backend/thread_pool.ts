import { Worker } from 'node:worker_threads';
import { FailedPreconditionError } from '../errors.js';
import { THREAD_SCRATCH_BYTES, type WasmKernels } from './wasm_kernels.js';

/*
 * Worker threads that run the wasm kernels on the shared tensor heap. Each worker instantiates
 * the kernel module on the same memory and waits (Atomics.wait) on its slot of a small control
 * buffer; the calling thread writes a task (an exported function and its numeric arguments) into
 * each slot, wakes the workers, runs its own share, then waits until every worker has flagged its
 * share done. Tasks only ever touch memory that the call hands them, so a run stays synchronous
 * and deterministic: the split of work is a function of the thread count alone.
 *
 * Workers are unref'd (they never keep the process alive) and are terminated once no open
 * Session uses more than one thread.
 */

/** Most arguments a task takes. */
const MAX_ARGS = 24;
/**
 * Int32 fields per worker slot: command sequence, done sequence, function index, argument count,
 * failed flag, started flag, claim (-S: task S waits for a thread to take it; S: taken).
 */
const SLOT_INTS = 8;
/** Spins on the done flag before sleeping: most shares finish within a few microseconds of each other. */
const SPIN = 20000;
/** A worker that shows no sign of life for this long (it died, or never started) fails the call instead of hanging it. */
const UNRESPONSIVE_MS = 60_000;
const START_MS = 15_000;

/** The code each worker runs (a string: tests run from TypeScript sources, where no worker file exists). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, index, names, slotInts, maxArgs, spin } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = names.map((name) => instance.exports[name]);
const ctl = new Int32Array(control);
const args = new Float64Array(control, ctl.length * 4 - (index + 1) * maxArgs * 8, maxArgs);
const base = index * slotInts;
Atomics.store(ctl, base + 5, 1);
let seen = 0;
for (;;) {
  for (let i = 0; i < spin && Atomics.load(ctl, base) === seen; i++);
  Atomics.wait(ctl, base, seen);
  const command = Atomics.load(ctl, base);
  if (command === seen) continue;
  seen = command;
  if (command < 0) break;
  // The caller may have run this share itself while this worker was waking up.
  if (Atomics.compareExchange(ctl, base + 6, -command, command) !== -command) continue;
  try {
    fns[ctl[base + 2]](...args.subarray(0, ctl[base + 3]));
    ctl[base + 4] = 0;
  } catch {
    ctl[base + 4] = 1;
  }
  Atomics.store(ctl, base + 1, seen);
  Atomics.notify(ctl, base + 1);
}
`;

/** A pool of `size` workers (thread 0 is always the caller). @internal */
export class ThreadPool {
  private readonly workers: Worker[] = [];
  private readonly control: Int32Array;
  private readonly args: Float64Array[] = [];
  /** Scratch block per worker (thread t >= 1 uses scratch[t - 1]). */
  readonly scratch: number[] = [];
  private sequence = 0;
  /** The arguments of each worker's current share (the caller runs a share no worker took). */
  private readonly shares: (readonly number[])[] = [];
  private closed = false;

  constructor(
    private readonly wasm: WasmKernels,
    readonly size: number,
    private readonly names: readonly string[],
  ) {
    const bytes = size * SLOT_INTS * 4 + size * MAX_ARGS * 8;
    const buffer = new SharedArrayBuffer(bytes);
    this.control = new Int32Array(buffer);
    for (let w = 0; w < size; w++) {
      this.args.push(new Float64Array(buffer, bytes - (w + 1) * MAX_ARGS * 8, MAX_ARGS));
      const block = wasm.heap.alloc(THREAD_SCRATCH_BYTES);
      if (block === null)
        throw new FailedPreconditionError('ThreadPool: no room in the tensor heap for worker scratch');
      this.scratch.push(block.offset);
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        // The worker source is a CommonJS script: don't inherit flags such as --input-type=module.
        execArgv: [],
        workerData: {
          module: wasm.module,
          memory: wasm.heap.memory,
          control: buffer,
          index: w,
          names,
          slotInts: SLOT_INTS,
          maxArgs: MAX_ARGS,
          spin: SPIN,
        },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /**
   * Runs task `name` on `threads` threads (at most size + 1): share t is `argsFor(t)`, share 0 the
   * caller's. A share that no worker has taken by the time the caller is done with its own runs
   * on the caller (a sleeping worker takes tens of µs to wake, a descheduled one much longer):
   * which thread runs a share never changes what it computes. Returns once every share is done.
   */
  run(name: string, threads: number, argsFor: (thread: number) => readonly number[]): void {
    if (this.closed) throw new FailedPreconditionError('ThreadPool: used after close');
    const fn = this.names.indexOf(name);
    const kernel = (this.wasm.exports as unknown as Record<string, (...a: number[]) => void>)[name]!;
    const workers = Math.min(threads - 1, this.size);
    // Positive int32 sequences: a negative command stops the workers.
    this.sequence = (this.sequence % 0x3fffffff) + 1;
    const sequence = this.sequence;
    for (let w = 0; w < workers; w++) {
      const args = argsFor(w + 1);
      const base = w * SLOT_INTS;
      this.shares[w] = args;
      this.args[w]!.set(args);
      this.control[base + 2] = fn;
      this.control[base + 3] = args.length;
      Atomics.store(this.control, base + 6, -sequence);
      Atomics.store(this.control, base, sequence);
      Atomics.notify(this.control, base);
    }
    kernel(...argsFor(0));
    let failed = false;
    for (let w = 0; w < workers; w++) {
      const base = w * SLOT_INTS;
      if (
        Atomics.load(this.control, base + 6) === -sequence &&
        Atomics.compareExchange(this.control, base + 6, -sequence, sequence) === -sequence
      ) {
        kernel(...this.shares[w]!);
        continue;
      }
      for (let i = 0; i < SPIN && Atomics.load(this.control, base + 1) !== sequence; i++);
      const start = Date.now();
      while (Atomics.load(this.control, base + 1) !== sequence) {
        Atomics.wait(this.control, base + 1, Atomics.load(this.control, base + 1), 1000);
        const waited = Date.now() - start;
        const started = Atomics.load(this.control, base + 5) === 1;
        if (
          Atomics.load(this.control, base + 1) !== sequence &&
          (waited > UNRESPONSIVE_MS || (!started && waited > START_MS))
        ) {
          this.close();
          const what = started
            ? `did not finish task '${name}' within ${UNRESPONSIVE_MS / 1000} s`
            : `did not start within ${START_MS / 1000} s`;
          throw new FailedPreconditionError(`ThreadPool: worker thread ${w + 1} ${what}`);
        }
      }
      if (this.control[base + 4] !== 0) failed = true;
    }
    if (failed) throw new FailedPreconditionError(`ThreadPool: task '${name}' failed on a worker thread`);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops the workers and gives their scratch back. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let w = 0; w < this.workers.length; w++) {
      Atomics.store(this.control, w * SLOT_INTS, -1);
      Atomics.notify(this.control, w * SLOT_INTS);
      void this.workers[w]!.terminate();
    }
    for (const offset of this.scratch)
      this.wasm.heap.free({ buffer: this.wasm.heap.memory.buffer, offset, bytes: THREAD_SCRATCH_BYTES, inHeap: true });
  }
}
