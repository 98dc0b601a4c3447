import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Graph, Session, matMul, ndarray, placeholder } from '../index.js';
import { runningWorkers, shareOf, stopThreads } from './parallel.js';
import { wasmKernels } from './wasm_kernels.js';

function values(length: number, seed: number): Float32Array {
  const data = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return data;
}

function productGraph(m: number, k: number, n: number) {
  const g = new Graph();
  const { x, y, z } = g.asDefault(() => {
    const x = placeholder('float32', [m, k], { name: 'x' });
    const y = placeholder('float32', [k, n], { name: 'y' });
    return { x, y, z: matMul(x, y) };
  });
  return {
    g,
    z,
    feeds: new Map([
      [x, ndarray(values(m * k, 1), { shape: [m, k] })],
      [y, ndarray(values(k * n, 2), { shape: [k, n] })],
    ]),
  };
}

const wasmOn = wasmKernels() !== null;

describe('threads', () => {
  afterAll(() => stopThreads());

  it('splits work into shares that depend only on the counts, aligned, covering everything once', () => {
    expect([0, 1].map((t) => shareOf(10, 2, t, 4))).toEqual([
      [0, 8],
      [8, 10],
    ]);
    expect([0, 1, 2].map((t) => shareOf(100, 3, t))).toEqual([
      [0, 34],
      [34, 68],
      [68, 100],
    ]);
    expect([0, 1].map((t) => shareOf(3, 2, t, 4))).toEqual([
      [0, 3],
      [3, 3],
    ]);
  });

  it.skipIf(!wasmOn)(
    'gives bit-identical products on 1, 2 and 3 threads (each output summed by one thread)',
    async () => {
      const { g, z, feeds } = productGraph(150, 200, 120);
      const results = [];
      for (const threads of [1, 2, 3]) {
        using sess = new Session(g, { threads });
        results.push(Array.from((await sess.run(z, feeds)).data));
      }
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
      expect(runningWorkers()).toBeGreaterThanOrEqual(2);
    },
  );

  it.skipIf(!wasmOn)('stops the workers once the last multi-threaded session has closed', async () => {
    const { g, z, feeds } = productGraph(100, 100, 100);
    const sess = new Session(g, { threads: 2 });
    await sess.run(z, feeds);
    expect(runningWorkers()).toBeGreaterThan(0);
    sess.close();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(runningWorkers()).toBe(0);
  });

  const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  it.skipIf(!wasmOn || !existsSync(dist))(
    'never keeps a process alive: a script that leaves its session open exits by itself',
    () => {
      const script = `
      const core = await import(${JSON.stringify(dist)});
      const g = new core.Graph();
      const z = g.asDefault(() => core.matMul(core.ones([200, 200]), core.ones([200, 200])));
      const sess = new core.Session(g, { threads: 2 });
      const value = await sess.run(z);
      console.log(value.get(0, 0));`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 15_000,
      });
      expect(child.error).toBeUndefined();
      expect(child.status).toBe(0);
      expect(child.stdout.trim()).toBe('200');
    },
  );
});
