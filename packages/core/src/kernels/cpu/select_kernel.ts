import type { TypedArray } from '../../dtype.js';
import { allocTypedArray } from '../../dtype.js';
import { NDArray } from '../../ndarray/ndarray.js';
import type { KernelContext, KernelSpec } from '../kernel_registry.js';
import { broadcastShapes, planBroadcastLoop } from './broadcast_index.js';
import { describeOp } from './kernel_errors.js';

/** out = cond ? a : b elementwise, with all three broadcast against each other. */
function selectKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const cond = inputs[0]!;
  const a = inputs[1]!;
  const b = inputs[2]!;
  const context = describeOp(ctx.op);
  const outShape = broadcastShapes(broadcastShapes(cond.shape, a.shape, context), b.shape, context);
  const loop = planBroadcastLoop([cond.shape, a.shape, b.shape], outShape);
  const out = allocTypedArray(a.dtype, loop.size);
  const { rows, inner } = loop;
  const [cOffsets, aOffsets, bOffsets] = loop.rowOffsets as [Int32Array, Int32Array, Int32Array];
  const [cs, as, bs] = loop.innerStrides as [number, number, number];
  for (let r = 0; r < rows; r++) {
    selectRow(cond.data as Uint8Array, cOffsets[r]!, cs, a.data, aOffsets[r]!, as, b.data, bOffsets[r]!, bs, out, r * inner, inner);
  }
  return new NDArray(a.dtype, outShape, out);
}

function selectRow(
  c: Uint8Array, ic: number, cs: number,
  a: TypedArray, ia: number, as: number,
  b: TypedArray, ib: number, bs: number,
  out: TypedArray, o: number, n: number,
): void {
  const end = o + n;
  for (; o < end; o++, ic += cs, ia += as, ib += bs) out[o] = c[ic] !== 0 ? a[ia]! : b[ib]!;
}

export const selectCpuKernels: KernelSpec[] = [{ opType: 'Select', device: 'cpu', kernel: selectKernel }];
