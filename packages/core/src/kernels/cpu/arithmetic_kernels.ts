import { NDArray } from '../../ndarray/ndarray.js';
import type { Kernel, OpKernelSpec } from '../../kernel_registry.js';
import { ArithmeticCode, floatArithmeticBlock, intArithmeticBlock } from './arithmetic_rows.js';
import { planBinaryBlocks } from './broadcast_index.js';
import { describeOp, unsupportedDType, withOpContext } from './kernel_errors.js';
import { cachedByShapes, outputData } from './kernel_memory.js';

/** One kernel per arithmetic op: plan the broadcast once, then run tight loops per block. */
function arithmeticKernel(code: ArithmeticCode): Kernel {
  return (inputs, ctx) => {
    const a = inputs[0]!;
    const b = inputs[1]!;
    const p = cachedByShapes(ctx, inputs, () => planBinaryBlocks(a.shape, b.shape, describeOp(ctx.op)));
    const { rows, inner, middle, block, aOffsets, bOffsets, as, bs, am, bm } = p;
    if (a.dtype === 'float32') {
      const ad = a.data as Float32Array;
      const bd = b.data as Float32Array;
      const out = outputData(ctx, 'float32', p.size) as Float32Array;
      for (let r = 0; r < rows; r++)
        floatArithmeticBlock(code, ad, aOffsets[r]!, as, am, bd, bOffsets[r]!, bs, bm, out, r * block, inner, middle);
      return new NDArray('float32', p.outShape, out);
    }
    if (a.dtype === 'int32') {
      const ad = a.data as Int32Array;
      const bd = b.data as Int32Array;
      const out = outputData(ctx, 'int32', p.size) as Int32Array;
      try {
        for (let r = 0; r < rows; r++)
          intArithmeticBlock(code, ad, aOffsets[r]!, as, am, bd, bOffsets[r]!, bs, bm, out, r * block, inner, middle);
      } catch (error) {
        withOpContext(error, ctx.op);
      }
      return new NDArray('int32', p.outShape, out);
    }
    throw unsupportedDType(ctx.op, a.dtype);
  };
}

/** Add, Sub, Mul, Div, Pow, Maximum, Minimum on float32 and int32 with numpy broadcasting. */
export const arithmeticCpuKernels: OpKernelSpec[] = [
  { opType: 'Add', device: 'cpu', kernel: arithmeticKernel(ArithmeticCode.Add) },
  { opType: 'Sub', device: 'cpu', kernel: arithmeticKernel(ArithmeticCode.Sub) },
  { opType: 'Mul', device: 'cpu', kernel: arithmeticKernel(ArithmeticCode.Mul) },
  { opType: 'Div', device: 'cpu', kernel: arithmeticKernel(ArithmeticCode.Div) },
  { opType: 'Pow', device: 'cpu', kernel: arithmeticKernel(ArithmeticCode.Pow) },
  { opType: 'Maximum', device: 'cpu', kernel: arithmeticKernel(ArithmeticCode.Maximum) },
  { opType: 'Minimum', device: 'cpu', kernel: arithmeticKernel(ArithmeticCode.Minimum) },
];
