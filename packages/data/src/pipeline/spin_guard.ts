/**
 * A stage that consumes elements without producing any (a filter that rejects everything of
 * an infinite input, a flatMap of empty datasets) would loop synchronously forever, so no
 * timer, signal handler or AbortSignal could ever run. Such a stage counts what it consumed
 * without output and, after about YIELD_AFTER_MS of it, answers NOT_READY and lets the event
 * loop run once (setImmediate) before going on.
 * @internal
 */

const YIELD_AFTER_MS = 10;
/** Consecutive empty pulls between clock reads (reading the clock per element would cost more). */
const CHECK_EVERY = 1024;

export class SpinGuard {
  private empty = 0;
  private since = 0;
  /** Set once the stage should let the event loop run before pulling again. */
  yieldPending = false;

  /** One element consumed without output; true (and `yieldPending`) when it is time to yield. */
  consumedWithoutOutput(): boolean {
    const count = ++this.empty;
    if (count % CHECK_EVERY !== 0) return false;
    const now = performance.now();
    if (count === CHECK_EVERY) {
      this.since = now;
      return false;
    }
    if (now - this.since < YIELD_AFTER_MS) return false;
    this.empty = 0;
    this.yieldPending = true;
    return true;
  }

  /** An element was produced: the run of empty pulls is over. */
  produced(): void {
    this.empty = 0;
  }

  /** Lets the event loop run (timers, I/O, signals), then clears `yieldPending`. */
  async yieldNow(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.yieldPending = false;
  }
}
