import { NDArray } from '../../ndarray/ndarray.js';
import { shapeSize } from '../../ndarray/shape.js';
import {
  defineKernel,
  type KernelContext,
  type RandomStream,
  type OpKernelSpec,
  type OpKernelContext,
} from '../../kernel_registry.js';
import { outputData } from './kernel_memory.js';
import type { RandomAttrs } from '../../graph/op_types.js';

/** The op's stream: seeded ops replay the same sequence run by run in every session. */
function streamFor(ctx: KernelContext<RandomAttrs>): RandomStream {
  const seed = ctx.attrs.seed;
  return ctx.state.randomStream(ctx.op.name, typeof seed === 'number' ? seed : undefined);
}

/**
 * mean + stddev * z for standard normals z from Box–Muller pairs; with `truncate`, any z with
 * |z| > 2 is discarded and redrawn (TF's truncated_normal).
 */
function fillNormal(stream: RandomStream, out: Float32Array, mean: number, stddev: number, truncate: boolean): void {
  const n = out.length;
  let i = 0;
  while (i < n) {
    // 1 - u lies in (0, 1], keeping log() finite.
    const radius = Math.sqrt(-2 * Math.log(1 - stream.nextUniform()));
    const angle = 2 * Math.PI * stream.nextUniform();
    const z0 = radius * Math.cos(angle);
    const z1 = radius * Math.sin(angle);
    if (!truncate || Math.abs(z0) <= 2) out[i++] = mean + stddev * z0;
    if (i < n && (!truncate || Math.abs(z1) <= 2)) out[i++] = mean + stddev * z1;
  }
}

function normalKernel(truncate: boolean) {
  return (_inputs: readonly NDArray[], ctx: OpKernelContext<'RandomNormal' | 'TruncatedNormal'>): NDArray => {
    const shape = ctx.attrs.shape;
    const out = outputData(ctx, 'float32', shapeSize(shape)) as Float32Array;
    fillNormal(streamFor(ctx), out, ctx.attrs.mean, ctx.attrs.stddev, truncate);
    return new NDArray('float32', shape, out);
  };
}

/** Uniform in [minval, maxval): floats redraw the rare value that float32 rounding lifts to maxval. */
function uniformKernel(_inputs: readonly NDArray[], ctx: OpKernelContext<'RandomUniform'>): NDArray {
  const shape = ctx.attrs.shape;
  const dtype = ctx.attrs.dtype;
  const minval = ctx.attrs.minval;
  const maxval = ctx.attrs.maxval;
  const range = maxval - minval;
  const stream = streamFor(ctx);
  const n = shapeSize(shape);
  if (dtype === 'int32') {
    const out = outputData(ctx, 'int32', n);
    for (let i = 0; i < n; i++) out[i] = minval + Math.floor(stream.nextUniform() * range);
    return new NDArray('int32', shape, out);
  }
  const out = outputData(ctx, 'float32', n);
  for (let i = 0; i < n; i++) {
    let value = Math.fround(minval + stream.nextUniform() * range);
    // Bounded: a range narrower than float32 spacing near minval could otherwise loop forever.
    for (let retry = 0; value >= maxval && retry < 16; retry++)
      value = Math.fround(minval + stream.nextUniform() * range);
    out[i] = value;
  }
  return new NDArray('float32', shape, out);
}

/** RandomNormal, TruncatedNormal, RandomUniform: stateful per session, drawn from ctx.state. */
export const randomCpuKernels: OpKernelSpec[] = [
  defineKernel('RandomNormal', 'cpu', normalKernel(false)),
  defineKernel('TruncatedNormal', 'cpu', normalKernel(true)),
  defineKernel('RandomUniform', 'cpu', uniformKernel),
];
