import { outputData } from './kernel_memory.js';
import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, normalizeAxis, shapeSize } from '../../ndarray/shape.js';
import { defineKernel, type OpKernelSpec, type OpKernelContext } from '../../kernel_registry.js';

/**
 * Seen as [outer, axis*inner], each input contributes one contiguous chunk per outer row, so
 * the copy is `outer × inputs` block copies.
 */
function concatKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'Concat'>): NDArray {
  const first = inputs[0]!;
  const rank = first.rank;
  const axis = normalizeAxis(ctx.attrs.axis, rank, `Concat '${ctx.op.name}'`);
  let axisTotal = 0;
  for (const x of inputs) {
    if (x.rank !== rank || x.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
      throw new InvalidArgumentError(
        `Concat '${ctx.op.name}': input shapes ${inputs.map((t) => formatShape(t.shape)).join(', ')} differ outside axis ${axis}`,
      );
    }
    axisTotal += x.shape[axis]!;
  }
  const outShape = first.shape.slice();
  outShape[axis] = axisTotal;
  const outer = shapeSize(first.shape.slice(0, axis));
  const inner = shapeSize(first.shape.slice(axis + 1));
  const rowLength = axisTotal * inner;
  const out = outputData(ctx, first.dtype, outer * rowLength);
  let column = 0;
  for (const x of inputs) {
    const chunk = x.shape[axis]! * inner;
    const data = x.data;
    if (chunk >= 32 || outer === 1) {
      for (let o = 0; o < outer; o++) out.set(data.subarray(o * chunk, (o + 1) * chunk), o * rowLength + column);
    } else {
      for (let o = 0; o < outer; o++) {
        const src = o * chunk;
        const dst = o * rowLength + column;
        for (let j = 0; j < chunk; j++) out[dst + j] = data[src + j]!;
      }
    }
    column += chunk;
  }
  return new NDArray(first.dtype, outShape, out);
}

export const concatCpuKernels: OpKernelSpec[] = [defineKernel('Concat', 'cpu', concatKernel)];
