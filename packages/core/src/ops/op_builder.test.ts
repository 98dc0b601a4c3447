import { describe, expect, it } from 'vitest';
import { Graph, add, constant } from '../index.js';

describe('plain values next to int32 operands', () => {
  it('convert integers to int32 and refuse to drop a fraction', () => {
    const g = new Graph();
    g.asDefault(() => {
      const i = constant([1, 2], { dtype: 'int32' });
      expect(add(i, 2).dtype).toBe('int32');
      expect(() => add(i, 2.5)).toThrow(/2\.5 cannot be converted to int32 without losing its fraction/);
    });
  });
});
