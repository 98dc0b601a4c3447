import { broadcastOffsetExpression, coordinateStatements, kernelFunction } from '../../gpu_backend/index_codegen.js';
import { shapesEqual } from '../../ndarray/shape.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';

/**
 * gpu.js source for an elementwise op over operands broadcast to `outShape`: operand k is read
 * into `x${k}`, then `body` (statements ending in `return ...;`) computes the element.
 */
export function elementwiseSource(operandShapes: readonly (readonly number[])[], outShape: readonly number[], body: string): GpuKernelSource {
  const params = operandShapes.map((_, k) => `a${k}`).join(', ');
  const size = outShape.reduce((n, d) => n * d, 1);
  const needsCoordinates = operandShapes.some((shape) => !shapesEqual(shape, outShape) && shape.reduce((n, d) => n * d, 1) !== 1);
  const lines = ['const i = this.thread.x;'];
  if (needsCoordinates) lines.push(coordinateStatements('i', outShape, 'c'));
  operandShapes.forEach((shape, k) => {
    const operandSize = shape.reduce((n, d) => n * d, 1);
    const offset = shapesEqual(shape, outShape) ? 'i' : operandSize === 1 ? '0' : broadcastOffsetExpression(shape, outShape, 'c');
    lines.push(`const x${k} = a${k}[${offset}];`);
  });
  lines.push(body);
  return kernelFunction(params, lines, size);
}
