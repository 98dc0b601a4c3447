import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { coordinateStatements, kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { computeStrides, shapeSize } from '../../ndarray/shape.js';
import type { OpKernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';
import type { Operation } from '../../graph/operation.js';

/**
 * Backward kernels of concat (a slice of dy), gather (scatter-add, written gather-style: each
 * params element sums the dy rows whose index hits it, in index order like the cpu kernel) and
 * tile (each x element sums its copies). Reference: kernels/cpu/shape_grad_kernels.ts; malformed inputs
 * are left to it for the named errors.
 */
function axisOf(ctx: OpKernelContext<'ConcatGrad' | 'GatherGrad'>, rank: number): number {
  const axis = ctx.attrs.axis;
  return axis < 0 ? axis + rank : axis;
}

function concatGrad(inputs: readonly NDArray[], ctx: OpKernelContext<'ConcatGrad'>): NDArray {
  const dy = inputs[0]!;
  const xs = inputs.slice(1);
  const index = ctx.attrs.index;
  const axis = axisOf(ctx, dy.rank);
  let offset = 0;
  for (let k = 0; k < index; k++) offset += xs[k]!.shape[axis]!;
  const target = xs[index]!.shape;
  const inner = shapeSize(dy.shape.slice(axis + 1));
  const rowIn = dy.shape[axis]! * inner;
  const rowOut = target[axis]! * inner;
  const lines = (): string[] => [
    'const i = this.thread.x;',
    `const o = Math.floor(i / ${rowOut});`,
    `return dy[o * ${rowIn} + ${offset * inner} + i - o * ${rowOut}];`,
  ];
  const key = kernelKey('ConcatGrad', [dy], `${axis}|${offset}|${target.join(',')}`);
  return runGpuKernel(key, () => kernelFunction('dy', lines(), shapeSize(target)), [kernelArg(dy)], 'float32', target);
}

function concatGradUnsupported(inputs: readonly NDArray[], op: Operation): string | undefined {
  const dy = inputs[0]!;
  const xs = inputs.slice(1);
  const { index, axis: rawAxis } = attrsOf<'ConcatGrad'>(op);
  const axis = rawAxis < 0 ? rawAxis + dy.rank : rawAxis;
  if (axis < 0 || axis >= dy.rank || !xs[index])
    return invalidInput('a bad axis or index is reported by the cpu kernel');
  let end = 0;
  for (let k = 0; k <= index; k++) end += xs[k]!.shape[axis]!;
  if (end > dy.shape[axis]!) return invalidInput('a slice past the end of dy is reported by the cpu kernel');
  return xs[index]!.size === 0 ? 'an empty slice is left to the cpu kernel' : undefined;
}

function gatherGrad(inputs: readonly NDArray[], ctx: OpKernelContext<'GatherGrad'>): NDArray {
  const [dy, indices, x] = inputs as [NDArray, NDArray, NDArray];
  const axis = axisOf(ctx, x.rank);
  const n = x.shape[axis]!;
  const inner = shapeSize(x.shape.slice(axis + 1));
  const count = indices.size;
  const lines = (): string[] => [
    'const i = this.thread.x;',
    `const o = Math.floor(i / ${n * inner});`,
    `const rest = i - o * ${n * inner};`,
    `const row = Math.floor(rest / ${inner});`,
    `const j = rest - row * ${inner};`,
    'let sum = 0.0;',
    `for (let k = 0; k < ${count}; k++) {`,
    `  if (idx[k] === row) { sum += dy[(o * ${count} + k) * ${inner} + j]; }`,
    '}',
    'return sum;',
  ];
  const key = kernelKey('GatherGrad', inputs, String(axis));
  return runGpuKernel(
    key,
    () => kernelFunction('dy, idx', lines(), x.size),
    [kernelArg(dy), kernelArg(indices)],
    'float32',
    x.shape,
  );
}

function gatherGradUnsupported(inputs: readonly NDArray[], op: Operation): string | undefined {
  const [dy, indices, x] = inputs as [NDArray, NDArray, NDArray];
  const rawAxis = attrsOf<'GatherGrad'>(op).axis;
  const axis = rawAxis < 0 ? rawAxis + x.rank : rawAxis;
  if (axis < 0 || axis >= x.rank) return invalidInput('a bad axis is reported by the cpu kernel');
  const n = x.shape[axis]!;
  if (dy.size !== shapeSize(x.shape.slice(0, axis)) * indices.size * shapeSize(x.shape.slice(axis + 1)))
    return invalidInput('a mismatched dy is reported by the cpu kernel');
  for (const v of indices.data)
    if (v < 0 || v >= n) return invalidInput('out-of-range indices are reported by the cpu kernel');
  return x.size === 0 || indices.size === 0 ? 'empty inputs are left to the cpu kernel' : undefined;
}

/** x element c sums dy at (t_a * x_a + c_a) over every tile t, Kahan-compensated (cpu sums in float64). */
function tileGrad(inputs: readonly NDArray[]): NDArray {
  const [dy, x] = inputs as [NDArray, NDArray];
  const multiples = dy.shape.map((d, a) => d / x.shape[a]!);
  const tiles = shapeSize(multiples);
  const dyStrides = computeStrides(dy.shape);
  const offset = x.shape.map((d, a) => `(t${a} * ${d} + c${a}) * ${dyStrides[a]}`).join(' + ') || '0';
  const lines = (): string[] => [
    'const i = this.thread.x;',
    coordinateStatements('i', x.shape, 'c'),
    'let acc = 0.0;',
    'let comp = 0.0;',
    `for (let tile = 0; tile < ${tiles}; tile++) {`,
    coordinateStatements('tile', multiples, 't'),
    `  const y = dy[${offset}] - comp;`,
    '  const s = acc + y;',
    '  comp = (s - acc) - y;',
    '  acc = s;',
    '}',
    'return acc;',
  ];
  return runGpuKernel(
    kernelKey('TileGrad', inputs),
    () => kernelFunction('dy', lines(), x.size),
    [kernelArg(dy)],
    'float32',
    x.shape,
  );
}

function tileGradUnsupported([dy, x]: readonly NDArray[]): string | undefined {
  if (dy!.rank !== x!.rank || dy!.shape.some((d, i) => x!.shape[i] === 0 || d % x!.shape[i]! !== 0))
    return invalidInput('a dy that is not a tiling of x is reported by the cpu kernel');
  return x!.rank === 0 || dy!.size === 0 ? 'scalars and empty inputs are left to the cpu kernel' : undefined;
}

export const shapeGradGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({ opType: 'ConcatGrad', integerPolicy: 'cpu', unsupported: concatGradUnsupported, run: concatGrad }),
  defineGpuKernel({
    opType: 'GatherGrad',
    integerPolicy: 'exact-values',
    unsupported: gatherGradUnsupported,
    run: gatherGrad,
  }),
  defineGpuKernel({ opType: 'TileGrad', integerPolicy: 'cpu', unsupported: tileGradUnsupported, run: tileGrad }),
];
