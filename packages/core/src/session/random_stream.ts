import type { RandomStream } from '../kernel_registry.js';

/**
 * xoshiro128**: small, fast, good enough for initializers, dropout and shuffling. Its whole state
 * is four 32-bit words (`state()` / `fromState()`), so iterators can save and resume it exactly.
 *
 * @example
 * const rng = Xoshiro128.fromSeed(42);
 * rng.nextUniform(); // in [0, 1)
 */
export class Xoshiro128 implements RandomStream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds a generator: splitmix32 expands `seed` into four well-mixed state words. */
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() || 1;
  }

  /** A generator continuing from `state()` words (the all-zero state, a fixed point, is nudged). */
  static fromState(words: readonly number[]): Xoshiro128 {
    const rng = new Xoshiro128(0);
    [rng.a, rng.b, rng.c, rng.d] = [0, 1, 2, 3].map((i) => (words[i] ?? 0) >>> 0) as [number, number, number, number];
    if ((rng.a | rng.b | rng.c | rng.d) === 0) rng.a = 1;
    return rng;
  }

  state(): number[] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  nextUniform(): number {
    return this.nextUint32() / 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Mixes a graph seed and an op seed into one 32-bit seed. */
export function combineSeeds(graphSeed: number, opSeed: number): number {
  let h = Math.imul((graphSeed | 0) ^ 0x27d4eb2d, 0x165667b1);
  h = Math.imul(h ^ (h >>> 15) ^ (opSeed | 0), 0x85ebca77);
  return (h ^ (h >>> 13)) >>> 0;
}
