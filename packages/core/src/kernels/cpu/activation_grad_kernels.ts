import { NDArray } from '../../ndarray/ndarray.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { requireSameShape } from './kernel_errors.js';
import { outputData } from './kernel_memory.js';
import { heapAddress, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import { runShares } from '../../cpu_backend/wasm_dispatch.js';

/**
 * dy where y (the relu's output) is positive, else 0. float32 tensors in the heap take the wasm
 * kernel (split over threads when large), anything else the JS loop.
 */
function reluGradKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [dy, y] = inputs as [NDArray, NDArray];
  requireSameShape(dy, y, ctx);
  const g = dy.data;
  const v = y.data;
  const out = outputData(ctx, dy.dtype, g.length);
  const wasm = dy.dtype === 'float32' && y.dtype === 'float32' ? wasmKernels() : null;
  const addresses = wasm === null ? [] : [heapAddress(wasm, g), heapAddress(wasm, v), heapAddress(wasm, out)];
  if (wasm !== null && addresses.every((a) => a >= 0)) {
    const [gAt, vAt, outAt] = addresses as [number, number, number];
    runShares(ctx, wasm, 'reluGrad', g.length, g.length, (from, to) => [gAt, vAt, outAt, from, to], { align: 4 });
  } else {
    for (let i = 0; i < g.length; i++) out[i] = v[i]! > 0 ? g[i]! : 0;
  }
  return new NDArray(dy.dtype, dy.shape, out);
}

function sigmoidGradKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [y, dy] = inputs as [NDArray, NDArray];
  requireSameShape(y, dy, ctx);
  const v = y.data;
  const g = dy.data;
  const out = outputData(ctx, 'float32', g.length);
  for (let i = 0; i < g.length; i++) {
    const s = v[i]!;
    out[i] = g[i]! * s * (1 - s);
  }
  return new NDArray('float32', y.shape, out);
}

function tanhGradKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [y, dy] = inputs as [NDArray, NDArray];
  requireSameShape(y, dy, ctx);
  const v = y.data;
  const g = dy.data;
  const out = outputData(ctx, 'float32', g.length);
  for (let i = 0; i < g.length; i++) {
    const t = v[i]!;
    out[i] = g[i]! * (1 - t * t);
  }
  return new NDArray('float32', y.shape, out);
}

/** Backward kernels of relu, sigmoid and tanh (they read the forward output, not the input). */
export const activationGradCpuKernels: OpKernelSpec[] = [
  { opType: 'ReluGrad', device: 'cpu', kernel: reluGradKernel },
  { opType: 'SigmoidGrad', device: 'cpu', kernel: sigmoidGradKernel },
  { opType: 'TanhGrad', device: 'cpu', kernel: tanhGradKernel },
];
