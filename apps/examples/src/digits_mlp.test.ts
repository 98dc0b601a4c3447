import { describe, expect, it } from 'vitest';
import { trainDigitsMlp } from './digits_mlp.js';

describe('digits MLP example (the README main job)', () => {
  it('learns the shipped digits fixture: loss falls and held-out accuracy passes 80% in 4 epochs', async () => {
    const lines: string[] = [];
    const result = await trainDigitsMlp({ epochs: 4, log: (line) => lines.push(line) });
    expect(result.epochs).toHaveLength(4);
    expect(result.epochs[3]!.meanLoss).toBeLessThan(result.epochs[0]!.meanLoss / 2);
    expect(result.testAccuracy).toBeGreaterThan(0.8);
    expect(lines[0]).toMatch(/^pipeline: ParquetSource\(.*digits\.parquet', columns=\[pixels,label\]\) -> Take\(1437\) -> Shuffle\(2048\) -> Batch\(64\)$/);
  });

  it('is reproducible for a seed', async () => {
    const quiet = { epochs: 1, log: () => {} };
    const a = await trainDigitsMlp({ ...quiet, seed: 7 });
    const b = await trainDigitsMlp({ ...quiet, seed: 7 });
    expect(a.epochs[0]!.meanLoss).toBe(b.epochs[0]!.meanLoss);
  });

  it('names a missing data file', async () => {
    await expect(trainDigitsMlp({ epochs: 1, dataPath: '/nonexistent/digits.parquet', log: () => {} })).rejects.toThrow(
      /\/nonexistent\/digits\.parquet/,
    );
  });

  it('rejects a train split that leaves no held-out rows', async () => {
    await expect(trainDigitsMlp({ epochs: 1, trainRows: 1797, log: () => {} })).rejects.toThrow(
      /^trainDigitsMlp: trainRows must be an integer from 1 to 1796 \('.*digits\.parquet' has 1797 rows\), got 1797$/,
    );
  });
});
