import { describe, expect, it } from 'vitest';
import { gpuInfo, isGLMode } from '../../gpu_backend/gpu_runtime.js';
import { Graph } from '../../graph/graph.js';
import { ndarray, type NDArray } from '../../ndarray/ndarray.js';
import { constant } from '../../ops/constant.js';
import { matMul } from '../../ops/mat_mul.js';
import { placeholder } from '../../ops/placeholder.js';
import { Session } from '../../session/session.js';
import { expectClose } from '../../test_support/devices.js';

function values(shape: number[], seed: number): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s >>> 8) / 2 ** 24 - 0.5;
  }
  return ndarray(out, { shape });
}

async function product(
  device: 'cpu' | 'gpu',
  a: NDArray,
  b: NDArray,
  transposeA: boolean,
  transposeB: boolean,
): Promise<{ value: NDArray; compiled: number }> {
  const graph = new Graph();
  const y = graph.asDefault(() => matMul(constant(a), constant(b), { transposeA, transposeB }));
  using sess = new Session(graph, { device });
  const value = await sess.run(y);
  return { value, compiled: sess.deviceInfo().kernelCache?.compiled ?? 0 };
}

describe('gpu.js MatMul', () => {
  // k = 300 is split into k-blocks of 128, 128 and a 44 tail on the host-emulated backends.
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matches cpu for a long inner dimension, batched, transposeA=%s transposeB=%s', async (ta, tb) => {
    const [m, k, n] = [5, 300, 7];
    const a = values(ta ? [2, k, m] : [2, m, k], 1);
    const b = values(tb ? [2, n, k] : [2, k, n], 2);
    const cpu = await product('cpu', a, b, ta, tb);
    const gpu = await product('gpu', a, b, ta, tb);
    expect(gpu.value.shape).toEqual([2, m, n]);
    expectClose(gpu.value.data, cpu.value.data, { rtol: 1e-4, atol: 1e-5 });
  });

  it('compiles one kernel per k-block length, not per block', async () => {
    const { compiled } = await product('gpu', values([3, 700], 3), values([700, 4], 4), false, false);
    // 700 = 5 * 128 + 60: the first block, the (four alike) middle blocks and the tail; a GL backend makes one call.
    expect(compiled).toBe(isGLMode(gpuInfo().mode) ? 1 : 3);
  });

  it("reports a run-time shape mismatch with the cpu kernel's message, reason included", async () => {
    const graph = new Graph();
    const y = graph.asDefault(() =>
      matMul(placeholder('float32', [2, null], { name: 'x' }), placeholder('float32', [3, 1], { name: 'w' }), {
        name: 'logits',
      }),
    );
    using sess = new Session(graph, { device: 'gpu' });
    await expect(
      sess.run(y, {
        x: [
          [1, 2],
          [3, 4],
        ],
        w: [[1], [2], [3]],
      }),
    ).rejects.toThrow(
      /^MatMul 'logits': cannot multiply \[2,2\] by \[3,1\] \(transposeA=false, transposeB=false\): inner dimensions 2 and 3 differ$/,
    );
    expect(sess.deviceInfo().fallbackOps).toEqual([]);
  });
});
