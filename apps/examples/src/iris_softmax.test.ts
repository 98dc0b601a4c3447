import { describe, expect, it } from 'vitest';
import { trainIrisSoftmax } from './iris_softmax.js';

describe('iris softmax regression (README sample)', () => {
  it('drives the loss from ln(3) to below 0.3', async () => {
    const losses = await trainIrisSoftmax(60);
    expect(losses[0]).toBeLessThan(Math.log(3) + 0.05);
    expect(losses[losses.length - 1]).toBeLessThan(0.3);
  });
});
