import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readScalars } from './scalar_series.js';
import { SummaryWriter } from './summary_writer.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-scalars-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('collects scalar series by tag and drops points a resumed run replaced (SessionLog START)', async () => {
  const first = new SummaryWriter(dir);
  for (let step = 1; step <= 6; step++) first.addScalar('loss', 1 / step, step);
  first.addScalar('val/loss', 0.5, 6);
  await first.close();
  // The run was killed after a checkpoint at step 4; the resumed run starts at step 5.
  const resumed = new SummaryWriter(dir);
  resumed.addSessionLog('START', 5);
  resumed.addScalar('loss', 0.19, 5);
  await resumed.close();
  const series = await readScalars(dir);
  expect(series.get('loss')!.map((p) => [p.step, p.value])).toEqual([
    [1, 1],
    [2, 0.5],
    [3, Math.fround(1 / 3)],
    [4, 0.25],
    [5, Math.fround(0.19)],
  ]);
  expect(series.get('val/loss')).toEqual([]);
});
