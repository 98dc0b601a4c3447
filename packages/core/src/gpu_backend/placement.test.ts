import { describe, expect, it } from 'vitest';
import '../kernels/register_all_kernels.js';
import { Graph } from '../graph/graph.js';
import type { Operation } from '../graph/operation.js';
import { NDArray } from '../ndarray/ndarray.js';
import { add } from '../ops/binary_ops.js';
import { matMul } from '../ops/mat_mul.js';
import { placeholder } from '../ops/placeholder.js';
import { reshape } from '../ops/reshape.js';
import { resolveForAuto } from './device_context.js';
import { DEFAULT_PLACEMENT_THRESHOLDS, describePlacement, estimateFlops, preferGpu } from './placement.js';

function zeros(shape: number[]): NDArray {
  return new NDArray('float32', shape, new Float32Array(shape.reduce((a, b) => a * b, 1)));
}

function opOf(build: () => { op: Operation }): Operation {
  return new Graph().asDefault(build).op;
}

const matMulOp = opOf(() => matMul(placeholder('float32', [null, null]), placeholder('float32', [null, null])));
const matMulTransposedOp = opOf(() =>
  matMul(placeholder('float32', [null, null]), placeholder('float32', [null, null]), { transposeB: true }),
);
const addOp = opOf(() => add(placeholder('float32', null), placeholder('float32', null)));
const reshapeOp = opOf(() => reshape(placeholder('float32', [null]), [-1]));

describe('placement policy', () => {
  it('prices matMul at 2*m*k*n FLOPs, honouring transposeB', () => {
    expect(estimateFlops(matMulOp, [zeros([4, 5]), zeros([5, 6])])).toBe(2 * 4 * 5 * 6);
    expect(estimateFlops(matMulTransposedOp, [zeros([4, 5]), zeros([6, 5])])).toBe(2 * 4 * 5 * 6);
  });

  it('on a GL backend sends large matMuls and large elementwise ops to the gpu', () => {
    expect(preferGpu(matMulOp, [zeros([512, 512]), zeros([512, 512])], true)).toBe(true);
    expect(preferGpu(matMulOp, [zeros([32, 32]), zeros([32, 32])], true)).toBe(false);
    expect(preferGpu(addOp, [zeros([1024, 1024]), zeros([1])], true)).toBe(true);
    expect(preferGpu(addOp, [zeros([100, 100]), zeros([1])], true)).toBe(false);
  });

  it('puts the threshold exactly where configured', () => {
    const side = 128; // 2 * 128^3 = the default FLOP threshold
    expect(2 * side ** 3).toBe(DEFAULT_PLACEMENT_THRESHOLDS.minFlops);
    expect(preferGpu(matMulOp, [zeros([side, side]), zeros([side, side])], true)).toBe(true);
    expect(preferGpu(matMulOp, [zeros([side, side - 1]), zeros([side - 1, side])], true)).toBe(false);
    const low = { minFlops: 1, minElements: 1 };
    expect(preferGpu(addOp, [zeros([2]), zeros([2])], true, low)).toBe(true);
  });

  it('never sends host ops (reshape) to the gpu', () => {
    expect(preferGpu(reshapeOp, [zeros([1 << 22])], true)).toBe(false);
  });

  it('without GPU acceleration keeps everything on cpu, however large', () => {
    expect(preferGpu(matMulOp, [zeros([1024, 1024]), zeros([1024, 1024])], false)).toBe(false);
    for (const mode of ['webasm', 'cpu', 'headlessgl'] as const)
      expect(describePlacement(mode, false)).toMatch(/^cpu for every op/);
    expect(describePlacement('headlessgl', true)).toMatch(
      /^gpu\.js \(headlessgl\) for matMul\/conv2d from 4194304 FLOPs and other ops from 1048576 elements/,
    );
  });
});

describe("'auto' kernel resolution", () => {
  it('resolves plain cpu kernels when gpu.js is not GPU-accelerated', () => {
    const resolved = resolveForAuto(matMulOp, false);
    expect(resolved.kernel.device).toBe('cpu');
    expect(resolved.fallback).toBeUndefined();
  });

  it('with a GL mode picks the gpu kernel per run from the concrete inputs', () => {
    const resolved = resolveForAuto(matMulOp, true);
    expect(resolved.kernel.device).toBe('gpu');
    expect(resolved.fallback?.device).toBe('cpu');
    expect(resolved.kernel.supports!([zeros([256, 256]), zeros([256, 256])], matMulOp)).toBe(true);
    expect(resolved.kernel.supports!([zeros([8, 8]), zeros([8, 8])], matMulOp)).toBe(false);
    expect(resolveForAuto(reshapeOp, true).kernel.device).toBe('cpu');
  });
});
