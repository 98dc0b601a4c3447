import { describe, expect, it } from 'vitest';
import { trainDigitsCnn } from './digits_cnn.js';

describe('digits CNN example (conv2d / maxPool through Trainer.fit)', () => {
  it('learns: held-out accuracy passes 90% in 2 epochs', async () => {
    const { history, testAccuracy } = await trainDigitsCnn({ epochs: 2, progress: false });
    expect(history.epochs[1]!.loss).toBeLessThan(history.epochs[0]!.loss);
    expect(testAccuracy).toBeGreaterThan(0.9);
  });
});
