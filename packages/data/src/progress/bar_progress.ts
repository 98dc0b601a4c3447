import cliProgress from 'cli-progress';
import { type ProgressFields, formatCounts, formatFields, formatRateAndTime } from './progress_format.js';
import type { ProgressReporter, ProgressState } from './progress_reporter.js';

const BAR_WIDTH = 24;

/**
 * On a TTY: an in-place bar drawn by cli-progress at up to 10 frames per second. `update` only
 * records numbers; the library's timer renders them, so a hot loop pays no formatting cost.
 */
export class BarProgress implements ProgressReporter {
  readonly mode = 'bar';
  private readonly multiBar: cliProgress.MultiBar;
  private stopped = false;
  /** Set by `stop`: the last frame shows the elapsed time instead of an ETA. */
  private final = false;

  constructor(private readonly state: ProgressState) {
    const stream = state.stream as NodeJS.WritableStream;
    this.multiBar = new cliProgress.MultiBar({
      stream,
      fps: 10,
      hideCursor: false,
      clearOnComplete: false,
      // The line is cut to the terminal width instead of wrapping onto (and scrolling) new lines.
      linewrap: false,
      format: (_options, params) => this.render(params.maxWidth),
    });
    this.multiBar.create(1, 0);
    state.onBroken = () => this.stop();
  }

  update(done: number, fields?: ProgressFields, items?: number): void {
    this.state.record(done, fields, items);
  }

  setTotal(total: number | undefined): void {
    this.state.setTotal(total);
  }

  log(line: string): void {
    if (this.state.broken) return;
    this.multiBar.log(`${line}\n`);
    // Drawn now, not at the next frame, so it is never lost if the task stops first.
    this.multiBar.update();
  }

  stop(fields?: ProgressFields): void {
    if (this.stopped) return;
    this.stopped = true;
    if (fields !== undefined) this.state.fields = { ...this.state.fields, ...fields };
    this.final = true;
    try {
      this.multiBar.stop();
    } catch {
      // a stream that fails synchronously; its error listener keeps the display quiet
    }
    // After a failure (e.g. EPIPE) the listener stays, so late errors of a closed pipe are not uncaught.
    if (!this.state.broken) this.state.release();
  }

  private render(maxWidth: number): string {
    const snapshot = this.state.snapshot(this.final);
    const { done, total } = snapshot;
    const parts = [snapshot.label];
    if (total !== undefined && total > 0) {
      const filled = Math.min(BAR_WIDTH, Math.round((BAR_WIDTH * done) / total));
      parts.push('█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled));
    }
    parts.push(formatCounts(snapshot), formatFields(snapshot.fields), formatRateAndTime(snapshot));
    const line = parts.filter((part) => part !== '').join('  ');
    return maxWidth > 0 && line.length > maxWidth ? line.slice(0, maxWidth) : line;
  }
}
