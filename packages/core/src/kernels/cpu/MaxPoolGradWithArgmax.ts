import { InvalidArgumentError } from '../../errors.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { outputArray, zeroedOutput } from './kernel_memory.js';
import { heapAddress, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import { runShares } from '../../cpu_backend/wasm_dispatch.js';

/**
 * MaxPool's gradient from the forward pass's argmax (inputs [dy, argmax, x]): dx is zero except
 * where an argmax points, which gets the dy of every window that chose it. With the `reluMask`
 * attr the op also stands for the ReluGrad that follows it (x being the relu's output): an
 * element whose x is not positive gets 0. Only plans create it (session/remapper.ts).
 */
function maxPoolGradWithArgmaxKernel(
  inputs: readonly NDArray[],
  ctx: OpKernelContext<'MaxPoolGradWithArgmax'>,
): NDArray {
  const [dy, argmax, x] = inputs as [NDArray, NDArray, NDArray];
  if (!shapesEqual(dy.shape, argmax.shape)) {
    throw new InvalidArgumentError(
      `MaxPoolGrad '${ctx.op.name}': dy of shape ${formatShape(dy.shape)} does not match the forward argmax ${formatShape(argmax.shape)}`,
    );
  }
  if (x.rank !== 4 || dy.rank !== 4 || dy.shape[0] !== x.shape[0]) {
    throw new InvalidArgumentError(
      `MaxPoolGrad '${ctx.op.name}': dy of shape ${formatShape(dy.shape)} does not match input ${formatShape(x.shape)}`,
    );
  }
  const reluMask = ctx.attrs.reluMask === true;
  const inWasm = gradInWasm(ctx, dy, argmax, x, reluMask);
  if (inWasm !== null) return inWasm;
  const result = zeroedOutput(ctx, 'float32', x.shape);
  const dx = result.data as Float32Array;
  const d = dy.data as Float32Array;
  const at = argmax.data as Int32Array;
  const xd = x.data as Float32Array;
  const size = dx.length;
  if (reluMask) {
    for (let i = 0; i < d.length; i++) {
      const a = at[i]!;
      if (a >= 0 && a < size && xd[a]! > 0) dx[a] = dx[a]! + d[i]!;
    }
  } else {
    for (let i = 0; i < d.length; i++) {
      const a = at[i]!;
      if (a >= 0 && a < size) dx[a] = dx[a]! + d[i]!;
    }
  }
  return result;
}

/**
 * The wasm kernel when every array is in the heap (else null): threads take whole images, whose
 * argmax point into their own image only, so no two threads add into the same element.
 */
function gradInWasm(ctx: KernelContext, dy: NDArray, argmax: NDArray, x: NDArray, reluMask: boolean): NDArray | null {
  const wasm = x.dtype === 'float32' && dy.dtype === 'float32' ? wasmKernels() : null;
  if (wasm === null) return null;
  const result = outputArray(ctx, 'float32', x.shape);
  const at = [dy.data, argmax.data, x.data, result.data].map((data) => heapAddress(wasm, data));
  if (at.some((address) => address < 0)) return null;
  const [dyAt, argmaxAt, xAt, dxAt] = at as [number, number, number, number];
  const perImageIn = x.size / Math.max(x.shape[0]!, 1);
  const perImageOut = dy.size / Math.max(dy.shape[0]!, 1);
  runShares(ctx, wasm, 'maxPoolGradArgmax', x.shape[0]!, x.size, (n0, n1) => [
    dyAt,
    argmaxAt,
    xAt,
    dxAt,
    n0 * perImageOut,
    n1 * perImageOut,
    n0 * perImageIn,
    n1 * perImageIn,
    reluMask ? 1 : 0,
  ]);
  return result;
}

export const maxPoolGradWithArgmaxCpuKernels: OpKernelSpec[] = [
  defineKernel('MaxPoolGradWithArgmax', 'cpu', maxPoolGradWithArgmaxKernel),
];
