import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { ndarray } from '../ndarray/ndarray.js';
import { DEVICES, evaluate1, expectClose } from '../test_support/devices.js';
import { meanSquaredError } from './mean_squared_error.js';
import { placeholder } from './placeholder.js';

describe.each(DEVICES)('meanSquaredError on %s', (device) => {
  it('is the scalar mean of squared differences', async () => {
    const r = await evaluate1(device, () =>
      meanSquaredError(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1.5, 2],
          [2, 7],
        ],
      ),
    );
    expect(r.shape).toEqual([]);
    expectClose([r.item()], [(0.25 + 0 + 1 + 9) / 4]);
    expect((await evaluate1(device, () => meanSquaredError(3, 5))).item()).toBe(4);
  });

  it('is 0 for empty inputs (TF divides by the number of present elements safely)', async () => {
    const empty = () => ndarray(new Float32Array(0), { shape: [0, 2] });
    expect((await evaluate1(device, () => meanSquaredError(empty(), empty()))).item()).toBe(0);
  });
});

describe('meanSquaredError shape errors', () => {
  it('rejects incompatible shapes, naming both', () => {
    new Graph().asDefault(() => {
      expect(meanSquaredError(placeholder('float32', [null, 2]), placeholder('float32', [3, null])).shape).toEqual([]);
      expect(() => meanSquaredError(placeholder('float32', [2, 3]), placeholder('float32', [2, 4]))).toThrow(
        /^Shapes \[2,4\] and \[2,3\] are incompatible for 'MeanSquaredError(_\d+)?' \(op: 'MeanSquaredError'\)/,
      );
    });
  });
});
