import { describe, expect, it } from 'vitest';
import { Dataset } from '@tsflow/data';

/** Starts `next()` on a pipeline that never produces, and closes it from a timer after `ms`. */
async function closedByTimer(
  ds: Dataset<unknown>,
  ms: number,
): Promise<{ timerRan: boolean; result: IteratorResult<unknown> }> {
  const it = ds.iterator();
  let timerRan = false;
  const abort = new AbortController();
  abort.signal.addEventListener('abort', () => void it.return());
  setTimeout(() => {
    timerRan = true;
    abort.abort();
  }, ms);
  const result = await it.next();
  return { timerRan, result };
}

describe('pipelines that make no progress still let the event loop run', () => {
  it('range(10).repeat().filter(() => false): timers and AbortSignal work, and closing ends the pass', async () => {
    const { timerRan, result } = await closedByTimer(
      Dataset.range(10)
        .repeat()
        .filter(() => false),
      50,
    );
    expect(timerRan).toBe(true);
    expect(result.done).toBe(true);
  });

  it('flatMap of empty datasets, and a prefetch after the filter', async () => {
    expect(
      (
        await closedByTimer(
          Dataset.range(10)
            .repeat()
            .flatMap(() => Dataset.fromArray([])),
          50,
        )
      ).timerRan,
    ).toBe(true);
    expect(
      (
        await closedByTimer(
          Dataset.range(10)
            .repeat()
            .filter(() => false)
            .prefetch(2),
          50,
        )
      ).timerRan,
    ).toBe(true);
  });

  it('a finite filter still gives every element in order', async () => {
    expect(
      await Dataset.range(200_000)
        .filter((x) => x % 50_000 === 0)
        .toArray(),
    ).toEqual([0, 50_000, 100_000, 150_000]);
  });
});
