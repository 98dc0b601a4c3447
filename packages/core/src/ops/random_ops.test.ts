import { describe, expect, it } from 'vitest';
import { Graph, type NDArray, Session, randomNormal, randomUniform, truncatedNormal } from '../index.js';
import type { Tensor } from '../graph/tensor.js';
import { DEVICES } from '../test_support/devices.js';

function meanAndStd(data: ArrayLike<number>): [number, number] {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i]!;
  const mean = sum / data.length;
  let sq = 0;
  for (let i = 0; i < data.length; i++) sq += (data[i]! - mean) ** 2;
  return [mean, Math.sqrt(sq / data.length)];
}

describe.each(DEVICES)('random ops on %s', (device) => {
  /** Runs `t` `runs` times in a new session and returns each run's data. */
  async function draws(g: Graph, t: Tensor, runs: number): Promise<number[][]> {
    using sess = new Session(g, { device });
    const out: number[][] = [];
    for (let i = 0; i < runs; i++) out.push(Array.from((await sess.run(t)).data));
    return out;
  }

  it.each([
    ['randomNormal', (seed: number) => randomNormal([3, 4], { seed })],
    ['truncatedNormal', (seed: number) => truncatedNormal([5], { seed })],
    ['randomUniform', (seed: number) => randomUniform([7], { seed })],
  ])('%s with a seed: the n-th run gives the same values in every session', async (_name, build) => {
    const g = new Graph();
    const t = g.asDefault(() => build(42));
    const first = await draws(g, t, 2);
    const second = await draws(g, t, 2);
    expect(second).toEqual(first);
    expect(first[1]).not.toEqual(first[0]);
    const other = new Graph();
    const otherSeed = other.asDefault(() => build(43));
    expect((await draws(other, otherSeed, 1))[0]).not.toEqual(first[0]);
  });

  it('without any seed, sessions draw different values; a graph seed alone makes them repeat', async () => {
    const g = new Graph();
    const t = g.asDefault(() => randomUniform([8]));
    expect((await draws(g, t, 1))[0]).not.toEqual((await draws(g, t, 1))[0]);
    const seeded = new Graph();
    seeded.seed = 5;
    const u = seeded.asDefault(() => randomUniform([8]));
    expect((await draws(seeded, u, 1))[0]).toEqual((await draws(seeded, u, 1))[0]);
  });

  it('randomNormal has the requested mean and stddev', async () => {
    const g = new Graph();
    const t = g.asDefault(() => randomNormal([20000], { mean: 3, stddev: 0.5, seed: 1 }));
    const [data] = await draws(g, t, 1);
    const [mean, std] = meanAndStd(data!);
    expect(Math.abs(mean - 3)).toBeLessThan(0.02);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.02);
  });

  it('truncatedNormal stays within 2 stddev and has the truncated spread (0.8796 stddev)', async () => {
    const g = new Graph();
    const t = g.asDefault(() => truncatedNormal([20000], { mean: -1, stddev: 2, seed: 3 }));
    const [data] = await draws(g, t, 1);
    expect(Math.min(...data!)).toBeGreaterThanOrEqual(Math.fround(-5));
    expect(Math.max(...data!)).toBeLessThanOrEqual(Math.fround(3));
    const [mean, std] = meanAndStd(data!);
    expect(Math.abs(mean + 1)).toBeLessThan(0.05);
    expect(Math.abs(std - 2 * 0.8796)).toBeLessThan(0.05);
  });

  it('randomUniform covers [minval, maxval) for float32 and int32', async () => {
    const g = new Graph();
    const { f, i } = g.asDefault(() => ({
      f: randomUniform([20000], { minval: -2, maxval: 6, seed: 9 }),
      i: randomUniform([5000], { minval: -3, maxval: 4, dtype: 'int32', seed: 9 }),
    }));
    using sess = new Session(g, { device });
    const [fv, iv] = (await sess.run([f, i])) as NDArray[];
    const floats = Array.from(fv!.data);
    expect(Math.min(...floats)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...floats)).toBeLessThan(6);
    expect(Math.abs(meanAndStd(floats)[0] - 2)).toBeLessThan(0.1);
    expect(iv!.dtype).toBe('int32');
    expect([...new Set(iv!.data)].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });

  it('produces rank-0 and empty results', async () => {
    const g = new Graph();
    const { scalar, empty } = g.asDefault(() => ({
      scalar: randomNormal([], { seed: 1 }),
      empty: truncatedNormal([0, 3]),
    }));
    using sess = new Session(g, { device });
    const [s, e] = (await sess.run([scalar, empty])) as NDArray[];
    expect([s!.shape, Number.isFinite(s!.item())]).toEqual([[], true]);
    expect(e!.shape).toEqual([0, 3]);
  });
});

describe('random op building', () => {
  it('records static shape, dtype and attrs', () => {
    const g = new Graph();
    g.asDefault(() => {
      const t = randomUniform([2, 3], { maxval: 10, dtype: 'int32', seed: 4, name: 'dice' });
      expect([t.op.name, t.op.type, t.dtype, t.shape]).toEqual(['dice', 'RandomUniform', 'int32', [2, 3]]);
      expect(t.op.attrs).toMatchObject({ minval: 0, maxval: 10, seed: 4, shape: [2, 3] });
      expect(randomNormal(4).op.attrs).toMatchObject({ mean: 0, stddev: 1, seed: null, shape: [4] });
    });
  });

  it('rejects bad options with clear messages', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => randomUniform([2], { dtype: 'int32' })).toThrow(
        /^randomUniform: maxval must be given for dtype int32$/,
      );
      expect(() => randomUniform([2], { minval: 1, maxval: 1 })).toThrow(
        /^randomUniform: need minval < maxval, got minval 1, maxval 1$/,
      );
      expect(() => randomUniform([2], { maxval: 2.5, dtype: 'int32' })).toThrow(
        /^randomUniform: int32 bounds must be integers/,
      );
      expect(() => randomUniform([2], { maxval: 2 ** 32, dtype: 'int32' })).toThrow(
        /^randomUniform: int32 bounds must be integers in the int32 range, got minval 0, maxval 4294967296$/,
      );
      expect(() => randomNormal([2], { dtype: 'int32' })).toThrow(
        /^randomNormal: dtype int32 is not supported; expected one of float32$/,
      );
      expect(() => randomNormal([2], { stddev: NaN })).toThrow(
        /^randomNormal: stddev must be a finite number, got NaN$/,
      );
      expect(() => truncatedNormal([2], { seed: 1.5 })).toThrow(/^truncatedNormal: seed must be an integer, got 1\.5$/);
      expect(() => randomNormal([-1])).toThrow(
        /^randomNormal: shape must be an array of non-negative integers, got \[-1\]$/,
      );
    });
  });
});
