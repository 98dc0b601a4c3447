import { type ProgressFields, formatProgressLine } from './progress_format.js';
import type { ProgressReporter } from './progress_reporter.js';
import type { ProgressState } from './progress_reporter.js';

/** Without a TTY: one line per `intervalSeconds` while running, and one final line per task. */
export class LineProgress implements ProgressReporter {
  readonly mode = 'lines';
  private lastLine: number;
  private stopped = false;

  constructor(
    private readonly state: ProgressState,
    private readonly intervalMs: number,
  ) {
    this.lastLine = state.started;
  }

  update(done: number, fields?: ProgressFields, items?: number): void {
    this.state.record(done, fields, items);
    const now = this.state.clock();
    if (now - this.lastLine < this.intervalMs || this.stopped) return;
    this.lastLine = now;
    this.state.write(`${formatProgressLine(this.state.snapshot(false))}\n`);
  }

  setTotal(total: number | undefined): void {
    this.state.setTotal(total);
  }

  log(line: string): void {
    this.state.write(`${line}\n`);
  }

  stop(fields?: ProgressFields): void {
    if (this.stopped) return;
    this.stopped = true;
    if (fields !== undefined) this.state.fields = { ...this.state.fields, ...fields };
    this.state.write(`${formatProgressLine(this.state.snapshot(true))}\n`);
    // After a failure (e.g. EPIPE) the listener stays, so late errors of a closed pipe are not uncaught.
    if (!this.state.broken) this.state.release();
  }
}

/** `progress: false`: records nothing, prints nothing. */
export class SilentProgress implements ProgressReporter {
  readonly mode = 'silent';
  update(): void {}
  setTotal(): void {}
  log(): void {}
  stop(): void {}
}
