import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import { defineKernel, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { gemmFloat32, type GemmEpilogue, gemmInt32 } from '../../cpu_backend/gemm.js';
import { outputData } from './kernel_memory.js';

function matMulKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'MatMul'>): NDArray {
  return matMulWithEpilogue(inputs[0]!, inputs[1]!, ctx, {});
}

/** a·b as the MatMul kernel computes it, then the GEMM epilogue (bias, relu) on float32 products. @internal */
export function matMulWithEpilogue(
  a: NDArray,
  b: NDArray,
  ctx: OpKernelContext<'MatMul' | '_FusedMatMul'>,
  epilogue: GemmEpilogue,
): NDArray {
  const transA = ctx.attrs.transposeA === true;
  const transB = ctx.attrs.transposeB === true;
  const rank = a.rank;
  if (rank < 2 || b.rank !== rank) throw matMulShapeError(ctx, a, b, 'ranks must match and be at least 2');
  let batch = 1;
  for (let i = 0; i < rank - 2; i++) {
    if (a.shape[i] !== b.shape[i]) throw matMulShapeError(ctx, a, b, `batch dimension ${i} differs`);
    batch *= a.shape[i]!;
  }
  const m = a.shape[rank - (transA ? 1 : 2)]!;
  const k = a.shape[rank - (transA ? 2 : 1)]!;
  const kB = b.shape[rank - (transB ? 1 : 2)]!;
  const n = b.shape[rank - (transB ? 2 : 1)]!;
  if (k !== kB) throw matMulShapeError(ctx, a, b, `inner dimensions ${k} and ${kB} differ`);
  const shape = [...a.shape.slice(0, rank - 2), m, n];
  const aStride = m * k;
  const bStride = k * n;
  const outStride = m * n;
  if (a.dtype === 'int32') {
    const out = outputData(ctx, 'int32', batch * outStride) as Int32Array;
    for (let t = 0; t < batch; t++) {
      gemmInt32(
        a.data as Int32Array,
        t * aStride,
        b.data as Int32Array,
        t * bStride,
        out,
        t * outStride,
        m,
        k,
        n,
        transA,
        transB,
      );
    }
    return new NDArray('int32', shape, out);
  }
  const out = outputData(ctx, 'float32', batch * outStride) as Float32Array;
  for (let t = 0; t < batch; t++) {
    gemmFloat32(
      a.data as Float32Array,
      t * aStride,
      b.data as Float32Array,
      t * bStride,
      out,
      t * outStride,
      m,
      k,
      n,
      transA,
      transB,
      ctx,
      epilogue,
    );
  }
  return new NDArray('float32', shape, out);
}

function matMulShapeError(
  ctx: OpKernelContext<'MatMul' | '_FusedMatMul'>,
  a: NDArray,
  b: NDArray,
  why: string,
): InvalidArgumentError {
  const flags = `transposeA=${ctx.attrs.transposeA === true}, transposeB=${ctx.attrs.transposeB === true}`;
  return new InvalidArgumentError(
    `MatMul '${ctx.op.name}': cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)} (${flags}): ${why}`,
  );
}

export const matMulCpuKernels: OpKernelSpec[] = [defineKernel('MatMul', 'cpu', matMulKernel)];
