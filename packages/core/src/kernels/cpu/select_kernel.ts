import { NDArray } from '../../ndarray/ndarray.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { broadcastShapes, planBroadcastLoop } from './broadcast_index.js';
import { describeOp } from './kernel_errors.js';
import { cachedByShapes, outputData } from './kernel_memory.js';

/** out = cond ? a : b elementwise, with all three broadcast against each other. */
function selectKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const cond = inputs[0]!;
  const a = inputs[1]!;
  const b = inputs[2]!;
  const { outShape, loop } = cachedByShapes(ctx, inputs, () => {
    const context = describeOp(ctx.op);
    const outShape = broadcastShapes(broadcastShapes(cond.shape, a.shape, context), b.shape, context);
    return { outShape, loop: planBroadcastLoop([cond.shape, a.shape, b.shape], outShape) };
  });
  const out = outputData(ctx, a.dtype, loop.size);
  const { rows, inner, middle } = loop;
  const [cOffsets, aOffsets, bOffsets] = loop.rowOffsets as [Int32Array, Int32Array, Int32Array];
  const [cs, as, bs] = loop.innerStrides as [number, number, number];
  const [cm, am, bm] = loop.middleStrides as [number, number, number];
  const c = cond.data as Uint8Array;
  const ad = a.data;
  const bd = b.data;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    let ic = cOffsets[r]!;
    let ia = aOffsets[r]!;
    let ib = bOffsets[r]!;
    for (let j = 0; j < middle; j++, ic += cm, ia += am, ib += bm) {
      for (let i = 0, z = ic, x = ia, y = ib; i < inner; i++, z += cs, x += as, y += bs)
        out[o++] = c[z] !== 0 ? ad[x]! : bd[y]!;
    }
  }
  return new NDArray(a.dtype, outShape, out);
}

export const selectCpuKernels: OpKernelSpec[] = [{ opType: 'Select', device: 'cpu', kernel: selectKernel }];
