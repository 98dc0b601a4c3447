import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { outputData } from './kernel_memory.js';
import { heapAddress, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import { runShares } from '../../cpu_backend/wasm_dispatch.js';
import { HeapOperands } from '../../cpu_backend/heap_operands.js';

function biasAddKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const x = inputs[0]!;
  const bias = inputs[1]!;
  const channels = bias.size;
  if (x.rank === 0 || bias.rank !== 1 || x.shape[x.rank - 1] !== channels) {
    throw new InvalidArgumentError(
      `Must provide as many biases as the last dimension of the input tensor: ${formatShape(bias.shape)} vs. ${formatShape(x.shape)} (op '${ctx.op.name}')`,
    );
  }
  const data = x.data;
  const b = bias.data;
  const out = outputData(ctx, x.dtype, x.size);
  if (
    x.dtype === 'float32' &&
    biasAddInWasm(ctx, data as Float32Array, b as Float32Array, out as Float32Array, channels)
  ) {
    return new NDArray(x.dtype, x.shape, out);
  }
  const isInt = x.dtype === 'int32';
  for (let base = 0; base < data.length; base += channels) {
    if (isInt) for (let c = 0; c < channels; c++) out[base + c] = (data[base + c]! + b[c]!) | 0;
    else for (let c = 0; c < channels; c++) out[base + c] = data[base + c]! + b[c]!;
  }
  return new NDArray(x.dtype, x.shape, out);
}

/** The wasm kernel (rows split over threads when large) when x and out are in the heap; false otherwise. */
function biasAddInWasm(
  ctx: KernelContext,
  x: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  channels: number,
): boolean {
  const wasm = wasmKernels();
  if (wasm === null || channels === 0) return false;
  const xAt = heapAddress(wasm, x);
  const outAt = heapAddress(wasm, out);
  if (xAt < 0 || outAt < 0) return false;
  const operands = new HeapOperands(wasm.heap, ctx.memory);
  try {
    // The bias is usually a variable or constant: copied into the run's memory when elsewhere.
    const biasAt = operands.input(bias, 0, channels);
    if (biasAt === null) return false;
    const rows = x.length / channels;
    runShares(ctx, wasm, 'biasAdd', rows, x.length, (from, to) => [xAt, biasAt, outAt, channels, from, to]);
    return true;
  } finally {
    operands.finish();
  }
}

export const biasAddCpuKernels: OpKernelSpec[] = [{ opType: 'BiasAdd', device: 'cpu', kernel: biasAddKernel }];
