import { NDArray } from '../../ndarray/ndarray.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { heapAddress, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import { runShares } from '../../cpu_backend/wasm_dispatch.js';
import { outputData } from './kernel_memory.js';
import { UnaryCode, unaryKernel } from './unary_kernels.js';

const jsRelu = unaryKernel(UnaryCode.Relu);

/**
 * max(x, 0) (NaN and -0 pass, like TF's relu). float32 tensors in the heap take the wasm kernel
 * (four floats per instruction, split over threads when large); anything else the JS loop.
 */
function reluKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray | NDArray[] {
  const x = inputs[0]!;
  const wasm = x.dtype === 'float32' ? wasmKernels() : null;
  const from = wasm === null ? -1 : heapAddress(wasm, x.data);
  if (wasm === null || from < 0) return jsRelu(inputs, ctx);
  const out = outputData(ctx, 'float32', x.size);
  const to = heapAddress(wasm, out);
  if (to < 0) return jsRelu(inputs, ctx);
  runShares(ctx, wasm, 'relu', x.size, x.size, (start, end) => [from, to, start, end], { align: 4 });
  return new NDArray('float32', x.shape, out);
}

export const reluCpuKernels: OpKernelSpec[] = [{ opType: 'Relu', device: 'cpu', kernel: reluKernel }];
