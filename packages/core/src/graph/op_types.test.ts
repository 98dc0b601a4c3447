import { describe, expect, it } from 'vitest';
import '../kernels/register_all_kernels.js';
import { defineKernel, type OpKernelContext, type OpKernelSpec, registeredOpTypes } from '../kernel_registry.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { buildOp1 } from '../ops/op_builder.js';
import { OP } from './op_types.js';

describe('op types (graph/op_types.ts)', () => {
  it('lists exactly the op types that have a kernel, each constant spelled as its key', () => {
    expect(Object.keys(OP).sort()).toEqual(registeredOpTypes('cpu'));
    for (const [key, value] of Object.entries(OP)) expect(value).toBe(key);
  });

  // `npm run typecheck` (run by npm test) fails when one of these stops being a compile error.
  it('makes a misspelled op type, a kernel of another op type and a missing attr compile errors', () => {
    const matMulKernel = (inputs: readonly NDArray[], ctx: OpKernelContext<'MatMul'>) =>
      ctx.attrs.transposeA ? inputs[1]! : inputs[0]!;
    // @ts-expect-error 'MatMull' is not an op type
    const misspelled: OpKernelSpec = { opType: 'MatMull', device: 'cpu', kernel: () => [] };
    // @ts-expect-error a MatMul kernel reads transposeA, which Conv2D's attrs do not have
    const mismatched = defineKernel('Conv2D', 'cpu', matMulKernel);
    const unbuilt = () =>
      // @ts-expect-error MatMul's attrs (transposeA, transposeB) are missing
      buildOp1({ type: 'MatMul', inputs: [], infer: () => [] });
    const typo = () =>
      // @ts-expect-error 'transposeAA' is not an attr of MatMul
      buildOp1({ type: 'MatMul', inputs: [], attrs: { transposeAA: true, transposeB: false }, infer: () => [] });
    expect([misspelled.opType, mismatched.opType, typeof unbuilt, typeof typo]).toEqual([
      'MatMull',
      'Conv2D',
      'function',
      'function',
    ]);
  });
});
