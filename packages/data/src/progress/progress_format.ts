/** Values shown after the counts: numbers are formatted compactly, strings as given. */
export type ProgressFields = Readonly<Record<string, number | string>>;

/** What one progress line shows; shared by the bar and the plain-line displays. */
export interface ProgressSnapshot {
  label: string;
  done: number;
  total: number | undefined;
  unit: string;
  /** Items per second since the start (`rateUnit` items, e.g. examples while `done` counts steps). */
  rate: number;
  rateUnit: string;
  elapsedSeconds: number;
  fields: ProgressFields;
  /** True for the last line of a task: elapsed time instead of an ETA. */
  final: boolean;
}

/** `0.1234`, `12.35`, `1.234e-5`: four significant figures without trailing noise. */
export function formatFieldValue(value: number | string): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(3);
  return value.toFixed(4);
}

/** `950`, `12.3k`, `4.50M`: a rate or count at a glance. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return `${(value / 1e9).toPrecision(3)}G`;
  if (magnitude >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (magnitude >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  return magnitude >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toPrecision(3);
}

/** `0.4 s`, `12 s`, `3m05s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/** Seconds left at the current rate, or undefined when no total or no rate is known yet. */
export function etaSeconds(done: number, total: number | undefined, elapsedSeconds: number): number | undefined {
  if (total === undefined || done <= 0 || elapsedSeconds <= 0) return undefined;
  return Math.max(0, ((total - done) * elapsedSeconds) / done);
}

/** `loss 0.1234  accuracy 0.9700`. */
export function formatFields(fields: ProgressFields): string {
  return Object.entries(fields)
    .map(([name, value]) => `${name} ${formatFieldValue(value)}`)
    .join('  ');
}

/** The counts part: `12/23 steps` or `1.2M rows`. */
export function formatCounts(snapshot: ProgressSnapshot): string {
  const { done, total, unit } = snapshot;
  const counts = total === undefined ? formatCompact(done) : `${done}/${total}`;
  return unit === '' ? counts : `${counts} ${unit}`;
}

/** The tail: `4.2k examples/s  ETA 3.0 s` while running, `4.2k examples/s  1.2 s` when done. */
export function formatRateAndTime(snapshot: ProgressSnapshot): string {
  const parts: string[] = [];
  if (snapshot.elapsedSeconds > 0) parts.push(`${formatCompact(snapshot.rate)} ${snapshot.rateUnit}/s`);
  if (snapshot.final) parts.push(formatDuration(snapshot.elapsedSeconds));
  else {
    const eta = etaSeconds(snapshot.done, snapshot.total, snapshot.elapsedSeconds);
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
  }
  return parts.join('  ');
}

/** One plain line: `epoch 3/15  23/23 steps  loss 0.1234  4.2k examples/s  1.2 s`. */
export function formatProgressLine(snapshot: ProgressSnapshot): string {
  return [snapshot.label, formatCounts(snapshot), formatFields(snapshot.fields), formatRateAndTime(snapshot)]
    .filter((part) => part !== '')
    .join('  ');
}
