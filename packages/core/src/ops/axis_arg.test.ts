import { describe, expect, it } from 'vitest';
import { argMax, concat, constant, expandDims, gather, Graph, logSoftmax, softmax, squeeze } from '../index.js';

describe('a non-integer axis is rejected at the call, naming the op', () => {
  it.each([
    ['ArgMax', () => argMax(constant([1, 2]), 0.5)],
    ['GatherV2', () => gather(constant([1, 2]), [0], 0.5)],
    ['Softmax', () => softmax(constant([1, 2]), 0.5)],
    ['LogSoftmax', () => logSoftmax(constant([1, 2]), 0.5)],
    ['Concat', () => concat([constant([1, 2])], 0.5)],
    ['ExpandDims', () => expandDims(constant([1, 2]), 0.5)],
    ['Squeeze', () => squeeze(constant([[1, 2]]), [0.5])],
  ])('%s', (what, build) => {
    new Graph().asDefault(() => expect(build).toThrow(new RegExp(`^${what}: axis must be an integer, got 0.5$`)));
  });

  it('uses the name option when given', () => {
    new Graph().asDefault(() =>
      expect(() => argMax(constant([1, 2]), Number.NaN, { name: 'pick' })).toThrow(
        /^pick: axis must be an integer, got null$/,
      ),
    );
  });
});
