import { Xoshiro128 } from '@tsflow/core';

/**
 * Shuffle's random source: core's xoshiro128** generator (whose four-word state can be saved in
 * an iterator state and resumed exactly), seeded per (seed, pass) so that passes decorrelate.
 */
export class SeededRandom {
  private constructor(private readonly rng: Xoshiro128) {}

  /** Seeds from a number (and an optional stream index, e.g. the pass) via splitmix32. */
  static fromSeed(seed: number, stream = 0): SeededRandom {
    let x = (Math.floor(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      words.push((z ^ (z >>> 16)) >>> 0);
    }
    return new SeededRandom(Xoshiro128.fromState(words));
  }

  static fromState(words: readonly number[]): SeededRandom {
    return new SeededRandom(Xoshiro128.fromState(words));
  }

  state(): number[] {
    return this.rng.state();
  }

  /** Uniform integer in [0, n) for n <= 2^32 (multiply-shift; bias is negligible for buffer sizes). */
  nextIndex(n: number): number {
    return Math.floor(this.rng.nextUniform() * n);
  }
}
