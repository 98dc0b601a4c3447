import { broadcastOffsetExpression, coordinateStatements, kernelFunction } from '../../gpu_backend/index_codegen.js';
import { shapesEqual, shapeSize } from '../../ndarray/shape.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';

/**
 * gpu.js source for an elementwise op over operands broadcast to `outShape`: operand k is read
 * into `x${k}`, then `body` (statements ending in `return ...;`) computes the element.
 */
export function elementwiseSource(
  operandShapes: readonly (readonly number[])[],
  outShape: readonly number[],
  body: string,
): GpuKernelSource {
  const params = operandShapes.map((_, k) => `a${k}`).join(', ');
  // Same-shape operands read element i, scalars element 0; only broadcast ones need coordinates.
  const offsets = operandShapes.map((shape) =>
    shapesEqual(shape, outShape) ? 'i' : shapeSize(shape) === 1 ? '0' : broadcastOffsetExpression(shape, outShape, 'c'),
  );
  const lines = ['const i = this.thread.x;'];
  if (offsets.some((offset) => offset !== 'i' && offset !== '0')) lines.push(coordinateStatements('i', outShape, 'c'));
  offsets.forEach((offset, k) => {
    lines.push(`const x${k} = a${k}[${offset}];`);
  });
  lines.push(body);
  return kernelFunction(params, lines, shapeSize(outShape));
}
