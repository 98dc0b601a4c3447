import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCheckpoint, readEvents } from '@tsflow/train';
import { trainDigitsMlp } from './digits_mlp.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-digits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('digits MLP example (the README main job)', () => {
  it('trains through Trainer.fit: held-out accuracy passes 95% in 3 epochs, with checkpoints and event files', async () => {
    const runDir = join(dir, 'run');
    const result = await trainDigitsMlp({ epochs: 3, runDir, progress: false });
    expect(result.history.epochs).toHaveLength(3);
    expect(result.history.epochs[2]!.loss).toBeLessThan(result.history.epochs[0]!.loss);
    expect(result.testAccuracy).toBeGreaterThan(0.95);
    expect(latestCheckpoint(runDir)).toBe(join(runDir, `model-${result.history.steps}`));
    const tags = new Set<string>();
    for await (const event of readEvents(join(runDir, 'logs')))
      for (const tag of Object.keys(event.scalars ?? {})) tags.add(tag);
    expect([...tags].sort()).toEqual(['accuracy', 'epoch/accuracy', 'epoch/loss', 'loss', 'val/accuracy', 'val/loss']);
  });

  it('is reproducible for a seed, and a fresh run replaces the previous run', async () => {
    const runDir = join(dir, 'again');
    const a = await trainDigitsMlp({ epochs: 1, seed: 7, runDir, progress: false });
    const b = await trainDigitsMlp({ epochs: 1, seed: 7, runDir, progress: false });
    expect(b.history.epochs[0]!.loss).toBe(a.history.epochs[0]!.loss);
    expect((await readdir(runDir)).filter((n) => n.endsWith('.safetensors'))).toEqual([
      `model-${b.history.steps}.safetensors`,
    ]);
    expect((await readdir(join(runDir, 'logs'))).filter((n) => n.includes('tfevents'))).toHaveLength(1);
  });

  it('names a missing data file', async () => {
    await expect(trainDigitsMlp({ epochs: 1, dataPath: '/nonexistent/digits.parquet', runDir: null })).rejects.toThrow(
      /\/nonexistent\/digits\.parquet/,
    );
  });

  it('rejects a held-out split that is not a split', async () => {
    await expect(trainDigitsMlp({ epochs: 1, heldOutEvery: 1, runDir: null })).rejects.toThrow(
      /^digits: heldOutEvery must be an integer from 2 to 1797 \('.*digits\.parquet' has 1797 rows\), got 1$/,
    );
  });
});
