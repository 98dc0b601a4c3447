import { describe, expect, it } from 'vitest';
import {
  createProgress,
  formatCompact,
  formatDuration,
  formatFieldValue,
  formatProgressLine,
  resolveProgressMode,
} from './index.js';
import type { ProgressStream } from './index.js';

/** A stream that records what was written; `isTTY` decides what 'auto' picks. */
function capture(isTTY: boolean): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY,
    columns: 100,
    write: (chunk: string) => chunks.push(chunk),
    // cli-progress's terminal calls these on a TTY stream
    ...(isTTY
      ? { cursorTo: () => true, clearLine: () => true, moveCursor: () => true, clearScreenDown: () => true }
      : {}),
    text: () => chunks.join(''),
  } as ProgressStream & { text: () => string };
}

/** A clock the test moves by hand, in milliseconds. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('progress formatting', () => {
  it('formats field values, rates and durations compactly', () => {
    expect(formatFieldValue(0.123456)).toBe('0.1235');
    expect(formatFieldValue(1.5e-5)).toBe('1.500e-5');
    expect(formatFieldValue(42)).toBe('42');
    expect(formatFieldValue(Number.NaN)).toBe('NaN');
    expect(formatCompact(950.4)).toBe('950');
    expect(formatCompact(12_345)).toBe('12.3k');
    expect(formatCompact(4_500_000)).toBe('4.50M');
    expect(formatDuration(0.42)).toBe('0.4 s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3720)).toBe('1h02m');
  });

  it('puts label, counts, fields, rate and ETA on one line', () => {
    const line = formatProgressLine({
      label: 'epoch 2/5',
      done: 10,
      total: 40,
      unit: 'steps',
      rate: 1280,
      rateUnit: 'examples',
      elapsedSeconds: 2,
      fields: { loss: 0.25, acc: 0.9 },
      final: false,
    });
    expect(line).toBe('epoch 2/5  10/40 steps  loss 0.2500  acc 0.9000  1280 examples/s  ETA 6.0 s');
  });
});

describe('createProgress', () => {
  it("'auto' is a bar only on a TTY outside CI; false is silent", () => {
    const savedCi = process.env['CI'];
    delete process.env['CI'];
    try {
      expect(resolveProgressMode('auto', { write: () => true, isTTY: true })).toBe('bar');
      expect(resolveProgressMode('auto', { write: () => true })).toBe('lines');
      process.env['CI'] = 'true';
      expect(resolveProgressMode('auto', { write: () => true, isTTY: true })).toBe('lines');
    } finally {
      if (savedCi === undefined) delete process.env['CI'];
      else process.env['CI'] = savedCi;
    }
    expect(resolveProgressMode(false, { write: () => true, isTTY: true })).toBe('silent');
    expect(() => resolveProgressMode('fancy' as never, { write: () => true })).toThrow(
      /progress: expected 'auto', 'bar', 'lines' or false, got "fancy"/,
    );
  });

  it('without a TTY prints at most one line per interval, then a final line with the elapsed time', () => {
    const stream = capture(false);
    const clock = manualClock();
    const progress = createProgress({
      stream,
      label: 'copy',
      total: 100,
      unit: 'rows',
      intervalSeconds: 5,
      clock: clock.now,
    });
    for (let i = 1; i <= 100; i++) {
      clock.advance(100); // 10 s in all
      progress.update(i, { files: 1 });
    }
    progress.stop({ files: 2 });
    const lines = stream.text().trimEnd().split('\n');
    expect(lines).toEqual([
      'copy  50/100 rows  files 1  10 rows/s  ETA 5.0 s',
      'copy  100/100 rows  files 1  10 rows/s  ETA 0.0 s',
      'copy  100/100 rows  files 2  10 rows/s  10 s',
    ]);
  });

  it('counts a separate rate unit and works without a total', () => {
    const stream = capture(false);
    const clock = manualClock();
    const progress = createProgress({ stream, label: 'scan', unit: 'batches', rateUnit: 'rows', clock: clock.now });
    clock.advance(2000);
    progress.update(3, undefined, 3000);
    progress.log('a permanent line');
    progress.stop();
    expect(stream.text()).toBe('a permanent line\nscan  3 batches  1500 rows/s  2.0 s\n');
  });

  it('is silent with mode false', () => {
    const stream = capture(true);
    const progress = createProgress({ stream, mode: false, total: 3 });
    progress.update(1);
    progress.log('hidden');
    progress.stop();
    expect(progress.mode).toBe('silent');
    expect(stream.text()).toBe('');
  });

  it('on a TTY draws an in-place bar with counts, fields and rate', () => {
    const stream = capture(true);
    const clock = manualClock();
    const progress = createProgress({
      stream,
      mode: 'bar',
      label: 'epoch 1/1',
      total: 4,
      unit: 'steps',
      clock: clock.now,
    });
    clock.advance(1000);
    progress.update(2, { loss: 0.5 });
    progress.log('above the bar');
    clock.advance(1000);
    progress.update(4, { loss: 0.25 });
    progress.stop();
    const text = stream.text();
    expect(progress.mode).toBe('bar');
    expect(text).toContain('above the bar\n');
    expect(text).toMatch(/epoch 1\/1 {2}█{24} {2}4\/4 steps {2}loss 0\.2500 {2}2 steps\/s {2}2\.0 s/);
  });

  it('goes quiet when its stream fails (a closed pipe)', () => {
    const chunks: string[] = [];
    let onError: ((e: Error) => void) | undefined;
    const stream: ProgressStream = {
      write: (c) => chunks.push(c),
      on: (_event, listener) => (onError = listener),
      off: () => undefined,
    };
    const progress = createProgress({ stream, intervalSeconds: 0 });
    progress.update(1);
    onError!(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    progress.update(2);
    progress.stop();
    expect(chunks).toHaveLength(1);
  });

  it('rejects a bad total or interval', () => {
    expect(() => createProgress({ total: -1, stream: capture(false) })).toThrow(
      /progress: total must be a non-negative number, got -1/,
    );
    expect(() => createProgress({ intervalSeconds: Number.NaN, stream: capture(false) })).toThrow(
      /intervalSeconds must be a non-negative number, got NaN/,
    );
  });
});
