import type { TypedArray } from '../../dtype.js';
import { NDArray } from '../../ndarray/ndarray.js';
import type { Kernel, OpKernelSpec } from '../../kernel_registry.js';
import { planBinaryBlocks } from './broadcast_index.js';
import { cachedByShapes, outputData } from './kernel_memory.js';
import { describeOp } from './kernel_errors.js';

const ComparisonCode = { Equal: 0, NotEqual: 1, Greater: 2, GreaterEqual: 3, Less: 4, LessEqual: 5 } as const;
type ComparisonCode = (typeof ComparisonCode)[keyof typeof ComparisonCode];

/** One broadcast block (see BroadcastLoop) of a (cmp) b ? 1 : 0; NaN compares unequal to everything. */
function comparisonBlock(
  code: ComparisonCode,
  a: TypedArray,
  ia: number,
  as: number,
  am: number,
  b: TypedArray,
  ib: number,
  bs: number,
  bm: number,
  out: Uint8Array,
  o: number,
  inner: number,
  middle: number,
): void {
  switch (code) {
    case ComparisonCode.Equal:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! === b[y]! ? 1 : 0;
      }
      return;
    case ComparisonCode.NotEqual:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! !== b[y]! ? 1 : 0;
      }
      return;
    case ComparisonCode.Greater:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! > b[y]! ? 1 : 0;
      }
      return;
    case ComparisonCode.GreaterEqual:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! >= b[y]! ? 1 : 0;
      }
      return;
    case ComparisonCode.Less:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! < b[y]! ? 1 : 0;
      }
      return;
    case ComparisonCode.LessEqual:
      for (let j = 0; j < middle; j++, ia += am, ib += bm) {
        for (let i = 0, x = ia, y = ib; i < inner; i++, x += as, y += bs) out[o++] = a[x]! <= b[y]! ? 1 : 0;
      }
      return;
  }
}

function comparisonKernel(code: ComparisonCode): Kernel {
  return (inputs, ctx) => {
    const a = inputs[0]!;
    const b = inputs[1]!;
    const p = cachedByShapes(ctx, inputs, () => planBinaryBlocks(a.shape, b.shape, describeOp(ctx.op)));
    const out = outputData(ctx, 'bool', p.size) as Uint8Array;
    for (let r = 0; r < p.rows; r++) {
      comparisonBlock(
        code,
        a.data,
        p.aOffsets[r]!,
        p.as,
        p.am,
        b.data,
        p.bOffsets[r]!,
        p.bs,
        p.bm,
        out,
        r * p.block,
        p.inner,
        p.middle,
      );
    }
    return new NDArray('bool', p.outShape, out);
  };
}

/** Equal, NotEqual, Greater, GreaterEqual, Less, LessEqual: broadcasting, bool results. */
export const comparisonCpuKernels: OpKernelSpec[] = [
  { opType: 'Equal', device: 'cpu', kernel: comparisonKernel(ComparisonCode.Equal) },
  { opType: 'NotEqual', device: 'cpu', kernel: comparisonKernel(ComparisonCode.NotEqual) },
  { opType: 'Greater', device: 'cpu', kernel: comparisonKernel(ComparisonCode.Greater) },
  { opType: 'GreaterEqual', device: 'cpu', kernel: comparisonKernel(ComparisonCode.GreaterEqual) },
  { opType: 'Less', device: 'cpu', kernel: comparisonKernel(ComparisonCode.Less) },
  { opType: 'LessEqual', device: 'cpu', kernel: comparisonKernel(ComparisonCode.LessEqual) },
];
