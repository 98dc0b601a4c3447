import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('fromGenerator', () => {
  it('fromGenerator calls the function once per pass, sync or async', async () => {
    let calls = 0;
    const ds = Dataset.fromGenerator(function* numbers() {
      calls++;
      yield* [1, 2, 3];
    });
    expect(calls).toBe(0);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(calls).toBe(2);
    const asyncDs = Dataset.fromGenerator(async function* letters() {
      yield 'a';
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield 'b';
    });
    expect(await asyncDs.toArray()).toEqual(['a', 'b']);
  });
});
