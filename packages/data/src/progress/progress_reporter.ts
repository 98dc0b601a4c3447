import { InvalidArgumentError } from '@tsflow/core';
import type { ProgressFields, ProgressSnapshot } from './progress_format.js';

/** `'auto'`: an in-place bar on a TTY, plain lines otherwise; `false` shows nothing. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | false;

/** Where progress is written (default `process.stderr`, so stdout stays clean for results). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  off?(event: 'error', listener: (error: Error) => void): unknown;
}

export interface ProgressOptions {
  mode?: ProgressMode;
  /** Shown first on every line, e.g. `epoch 3/15` or `writeParquet out.parquet`. */
  label?: string;
  /** How many units the task has, when known: enables the bar's fill and the ETA. */
  total?: number;
  /** What `done` counts (default `items`). */
  unit?: string;
  /** What the rate counts (default: `unit`), e.g. `examples` while `done` counts steps. */
  rateUnit?: string;
  stream?: ProgressStream;
  /** Plain-line mode: at most one line per this many seconds while running (default 10). */
  intervalSeconds?: number;
  /** Milliseconds clock (default `performance.now`); tests inject one. */
  clock?: () => number;
}

/**
 * A progress display for one task. `update` is cheap (it only records numbers; rendering is
 * throttled), so it may be called on every step of a hot loop.
 *
 * @example
 * const progress = createProgress({ label: 'writeParquet', total: rows, unit: 'rows' });
 * progress.update(written, { files: 3 });
 * progress.stop();
 */
export interface ProgressReporter {
  /** The display actually used (`'auto'` resolved; `'silent'` for `false`). */
  readonly mode: 'bar' | 'lines' | 'silent';
  /** Records the position (`done` units, `items` for the rate, default `done`) and the fields shown. */
  update(done: number, fields?: ProgressFields, items?: number): void;
  setTotal(total: number | undefined): void;
  /** Prints a permanent line (above the bar on a TTY). */
  log(line: string): void;
  /** Ends the task: prints its final line (with `fields` merged in) and releases the display. */
  stop(fields?: ProgressFields): void;
}

/** `'auto'` is a bar on an interactive terminal and plain lines elsewhere (CI, files, pipes). */
export function resolveProgressMode(mode: ProgressMode, stream: ProgressStream): 'bar' | 'lines' | 'silent' {
  if (mode === false) return 'silent';
  if (mode === 'bar' || mode === 'lines') return mode;
  if (mode !== 'auto')
    throw new InvalidArgumentError(`progress: expected 'auto', 'bar', 'lines' or false, got ${JSON.stringify(mode)}`);
  const dumbTerminal = process.env['TERM'] === 'dumb' || process.env['CI'] !== undefined;
  return stream.isTTY === true && !dumbTerminal ? 'bar' : 'lines';
}

/** @internal The state both displays keep: counts, fields, clock and a guard against a closed stream. */
export class ProgressState {
  readonly label: string;
  readonly unit: string;
  readonly rateUnit: string;
  readonly clock: () => number;
  readonly started: number;
  total: number | undefined;
  done = 0;
  items = 0;
  fields: ProgressFields = {};
  /** Set when the stream failed (e.g. EPIPE on a closed pipe): the display goes quiet. */
  broken = false;
  /** Called once when the stream fails, so a display with a timer can stop it. */
  onBroken: (() => void) | undefined;
  private readonly onError = (): void => {
    if (this.broken) return;
    this.broken = true;
    this.onBroken?.();
  };

  constructor(
    readonly stream: ProgressStream,
    options: ProgressOptions,
  ) {
    this.label = options.label ?? '';
    this.unit = options.unit ?? 'items';
    this.rateUnit = options.rateUnit ?? this.unit;
    this.clock = options.clock ?? (() => performance.now());
    this.started = this.clock();
    this.total = checkTotal(options.total);
    stream.on?.('error', this.onError);
  }

  record(done: number, fields: ProgressFields | undefined, items: number | undefined): void {
    this.done = done;
    this.items = items ?? done;
    if (fields !== undefined) this.fields = fields;
  }

  setTotal(total: number | undefined): void {
    this.total = checkTotal(total);
  }

  snapshot(final: boolean): ProgressSnapshot {
    const elapsedSeconds = (this.clock() - this.started) / 1000;
    const rate = elapsedSeconds > 0 ? this.items / elapsedSeconds : 0;
    return {
      label: this.label,
      done: this.done,
      total: this.total,
      unit: this.unit,
      rate,
      rateUnit: this.rateUnit,
      elapsedSeconds,
      fields: this.fields,
      final,
    };
  }

  write(text: string): void {
    if (this.broken) return;
    try {
      this.stream.write(text);
    } catch {
      this.onError();
    }
  }

  release(): void {
    this.stream.off?.('error', this.onError);
  }
}

function checkTotal(total: number | undefined): number | undefined {
  if (total !== undefined && !(Number.isFinite(total) && total >= 0)) {
    throw new InvalidArgumentError(`progress: total must be a non-negative number, got ${total}`);
  }
  return total;
}
