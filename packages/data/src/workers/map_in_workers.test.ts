import { describe, expect, it } from 'vitest';
import { NDArray, ndarray } from '@tsflow/core';
import { Dataset } from '../dataset.js';

const fixture = new URL('../../test/fixtures/map_fns.mjs', import.meta.url);

describe('mapInWorkers', () => {
  it('runs a module export on workers, keeping order; NDArrays come back as NDArrays', async () => {
    const ds = Dataset.range(6)
      .map((x) => ndarray([x, x + 1]))
      .mapInWorkers<NDArray>(fixture, { exportName: 'double', workers: 2 });
    const out = await ds.toArray();
    expect(out.every((a) => a instanceof NDArray)).toBe(true);
    expect(out.map((a) => a.toArray())).toEqual([0, 1, 2, 3, 4, 5].map((x) => [2 * x, 2 * x + 2]));
    expect(ds.summary()).toMatch(/^Range\(0, 6\) -> Map -> MapInWorkers\(map_fns\.mjs#double\)$/);
  });

  it('runs elements on several worker threads at once', async () => {
    type Span = { start: number; end: number; threadId: number };
    const spans = await Dataset.fromArray([100, 100, 100, 100, 100, 100, 100, 100])
      .mapInWorkers<Span>(fixture, { exportName: 'blockFor', workers: 2 })
      .toArray();
    expect(new Set(spans.map((span) => span.threadId)).size).toBe(2);
    const overlapping = spans.some((a, i) => spans.some((b, j) => i !== j && a.start < b.end && b.start < a.end));
    expect(overlapping).toBe(true);
  });

  it('uses the default export and accepts a path', async () => {
    const ds = Dataset.range(5).mapInWorkers<number>(fixture.pathname, { workers: 1 });
    expect(await ds.toArray()).toEqual([0, 1, 4, 9, 16]);
  });

  it('moves typed-array buffers to the worker instead of copying them', async () => {
    const x = ndarray([5, 6, 7]);
    const [result] = await Dataset.fromArray([{ x, label: 'a' }])
      .mapInWorkers(fixture, { exportName: 'inspect', workers: 1 })
      .toArray();
    expect(result).toEqual({ isNDArray: true, first: 5, label: 'a' });
    expect(x.data.byteLength).toBe(0); // detached: it was moved
    const kept = ndarray([1, 2]);
    await Dataset.fromArray([{ x: kept, label: 'b' }])
      .mapInWorkers(fixture, { exportName: 'inspect', workers: 1, transfer: false })
      .toArray();
    expect(kept.toArray()).toEqual([1, 2]);
  });

  it('Dates, Sets and Maps reach the worker and come back as themselves (not {})', async () => {
    const element = { when: new Date(5), tags: new Set(['a']), lookup: new Map([['k', 1]]), x: ndarray([1, 2]) };
    const [out] = await Dataset.fromArray([element])
      .mapInWorkers<Record<string, unknown>>(fixture, { exportName: 'seeBuiltins', workers: 1 })
      .toArray();
    expect(out!.sawDate).toBe(true);
    expect(out!.sawSet).toBe(true);
    expect(out!.when).toEqual(new Date(5));
    expect(out!.made).toEqual(new Date(7));
    expect(out!.tags).toEqual(new Set(['a']));
    expect(out!.lookup).toEqual(new Map([['k', 1]]));
    expect((out!.x as NDArray).toArray()).toEqual([1, 2]);
  });

  it('a throwing function fails the pass naming the stage, module and export', async () => {
    const ds = Dataset.range(5).mapInWorkers(fixture, { exportName: 'throwing', workers: 2 });
    await expect(ds.toArray()).rejects.toThrow(
      /^Error in MapInWorkers\(map_fns\.mjs#throwing\) \(stage 2 of .*\): worker running throwing from file:.*map_fns\.mjs failed: cannot handle 2$/,
    );
  });

  it('a worker that exits gives an error, not a hang', async () => {
    const ds = Dataset.range(4).mapInWorkers(fixture, { exportName: 'exiting', workers: 2 });
    await expect(ds.toArray()).rejects.toThrow(/worker running exiting from .* failed: worker exited with code: 7/);
  });

  it('a worker that runs out of memory gives an error, not a hang', async () => {
    const ds = Dataset.range(1).mapInWorkers(fixture, { exportName: 'leaking', workers: 1, maxWorkerHeapMb: 16 });
    await expect(ds.toArray()).rejects.toThrow(/worker running leaking from .* failed: .*(memory|OUT_OF_MEMORY)/i);
  });

  it('a missing export is named', async () => {
    const ds = Dataset.range(1).mapInWorkers(fixture, { exportName: 'notAFunction', workers: 1 });
    await expect(ds.toArray()).rejects.toThrow(/has no function export 'notAFunction'/);
  });

  it('resumes from a saved state', async () => {
    const build = () => Dataset.range(8).mapInWorkers<number>(fixture, { workers: 2 });
    const it1 = build().iterator();
    for (let i = 0; i < 3; i++) await it1.next();
    const state = JSON.parse(JSON.stringify(it1.saveState()));
    await it1.close();
    const rest: number[] = [];
    for await (const x of build().iterator({ state })) rest.push(x);
    expect(rest).toEqual([9, 16, 25, 36, 49]);
  });
});
