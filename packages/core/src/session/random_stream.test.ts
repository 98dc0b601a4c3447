import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../index.js';

describe('Xoshiro128', () => {
  it('is deterministic for a seed and resumes exactly from state()', () => {
    const a = new Xoshiro128(42);
    const b = new Xoshiro128(42);
    const first = [a.nextUint32(), a.nextUint32()];
    expect([b.nextUint32(), b.nextUint32()]).toEqual(first);
    const resumed = Xoshiro128.fromState(JSON.parse(JSON.stringify(a.state())) as number[]);
    expect([resumed.nextUint32(), resumed.nextUniform()]).toEqual([a.nextUint32(), a.nextUniform()]);
    expect(new Xoshiro128(43).nextUint32()).not.toBe(first[0]);
  });

  it('never sticks at the all-zero state', () => {
    const rng = Xoshiro128.fromState([0, 0, 0, 0]);
    const draws = Array.from({ length: 16 }, () => rng.nextUint32());
    expect(draws.some((x) => x !== 0)).toBe(true);
    expect(rng.state()).not.toEqual([0, 0, 0, 0]);
  });
});
