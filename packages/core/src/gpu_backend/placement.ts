import type { Operation } from '../graph/operation.js';
import { attrsOf } from '../graph/op_types.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { GpuMode } from './gpu_runtime.js';

/**
 * The 'auto' placement policy: which ops a session sends to gpu.js.
 *
 * Measured on the 2-core dev box (no GL context, gpu.js in webasm mode; bench/gpu_mat_mul.bench.mjs):
 * matMul 256²/512²/1024² runs at ~1.0-1.4 GFLOPS through gpu.js against ~2.5-4 GFLOPS for the
 * blocked cpu gemm, i.e. 0.3-0.4x, and elementwise kernels only add copies. So without a
 * hardware GL backend 'auto' keeps everything on cpu. With one, an op goes to the gpu when its
 * work pays for moving its operands: matMul/conv2d by FLOPs, everything else by elements.
 */
export interface PlacementThresholds {
  /** Multiply-add FLOPs from which MatMul / Conv2D (and their gradient ops) go to the gpu. */
  minFlops: number;
  /** Elements (largest operand) from which elementwise ops and reductions go to the gpu. */
  minElements: number;
}

export const DEFAULT_PLACEMENT_THRESHOLDS: Readonly<PlacementThresholds> = Object.freeze({
  // 2 * 128^3: a 128x128 matMul is where a GPU starts to beat a round trip through GL.
  minFlops: 2 * 128 ** 3,
  // 1M floats (4 MB): below this, texture upload + readback costs more than a cpu pass.
  minElements: 1 << 20,
});

/**
 * Graph-structure and metadata ops: no arithmetic, or none worth a kernel launch (a reshape
 * only relabels the shape). These run on the host on every device and are never reported as
 * gpu fallbacks. Sparse optimizer updates belong here too: they change a few rows of the
 * host copy of a variable in place, which a gpu kernel would have to upload whole.
 */
export const HOST_OP_TYPES: ReadonlySet<string> = new Set([
  'Const',
  'Placeholder',
  'PlaceholderWithDefault',
  'VariableV2',
  'Assign',
  'AssignAdd',
  'AssignSub',
  'NoOp',
  'Identity',
  'StopGradient',
  'ReportUninitializedVariables',
  'Reshape',
  'ExpandDims',
  'Squeeze',
  'Shape',
  'Size',
  'Rank',
  'SparseApplyGradientDescent',
  'SparseApplyMomentum',
  'SparseApplyRMSProp',
  'SparseApplyCenteredRMSProp',
  'SparseApplyAdagrad',
  'SparseApplyAdam',
]);

/** Ops priced by multiply-adds rather than elements. */
const FLOP_OPS: ReadonlySet<string> = new Set([
  'MatMul',
  'BatchMatMul',
  'Conv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
]);

/** Approximate FLOPs of a dense op, from its concrete inputs. */
export function estimateFlops(op: Operation, inputs: readonly NDArray[]): number {
  const a = inputs[0];
  const b = inputs[1];
  if (!a || !b) return 0;
  if (op.type === 'MatMul' || op.type === 'BatchMatMul') {
    // a is [..., M, K] (or [..., K, M] transposed): a.size = batch*M*K; times N, times 2.
    const transposeB = attrsOf<'MatMul'>(op).transposeB === true;
    const n = b.shape[b.rank - (transposeB ? 2 : 1)] ?? 1;
    return 2 * a.size * n;
  }
  if (op.type.startsWith('Conv2D')) {
    // Each output (or gradient) element is a kh*kw*cin dot product: ~2 * size * kh * kw * cout,
    // taking the largest rank-4 operand as the image and the filter from the second operand.
    let image = 0;
    for (const x of inputs) if (x.rank === 4 && x.size > image) image = x.size;
    const filterDims = b.rank === 4 ? b.shape : [3, 3, 1, 1];
    return 2 * image * filterDims[0]! * filterDims[1]! * Math.max(filterDims[2]!, filterDims[3]!);
  }
  return 0;
}

/** Whether 'auto' should run `op` on these inputs through gpu.js, given whether it is GPU-accelerated. */
export function preferGpu(
  op: Operation,
  inputs: readonly NDArray[],
  accelerated: boolean,
  thresholds: PlacementThresholds = DEFAULT_PLACEMENT_THRESHOLDS,
): boolean {
  if (!accelerated || HOST_OP_TYPES.has(op.type)) return false;
  if (FLOP_OPS.has(op.type)) return estimateFlops(op, inputs) >= thresholds.minFlops;
  let largest = 0;
  for (const x of inputs) if (x.size > largest) largest = x.size;
  return largest >= thresholds.minElements;
}

/** A one-line description of the policy for deviceInfo(). */
export function describePlacement(
  mode: GpuMode,
  accelerated: boolean,
  thresholds: PlacementThresholds = DEFAULT_PLACEMENT_THRESHOLDS,
): string {
  if (!accelerated)
    return `cpu for every op: gpu.js mode '${mode}' runs on no GPU (or loses to the cpu kernels), so its kernels are no faster than cpu`;
  return `gpu.js (${mode}) for matMul/conv2d from ${thresholds.minFlops} FLOPs and other ops from ${thresholds.minElements} elements; cpu otherwise`;
}
