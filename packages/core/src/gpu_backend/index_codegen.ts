import { computeStrides } from '../ndarray/shape.js';
import type { GpuKernelSource } from './kernel_cache.js';

/**
 * Source-text helpers for gpu.js kernels over flat row-major buffers. Kernels are compiled per
 * shape, so dimensions and strides are baked in as integer literals: no per-element lookups.
 */

/**
 * A 1-D kernel of `size` threads: `function (params) { lines }`. gpu.js needs at least one
 * thread, so an empty output still gets one (runGpuKernel never runs it).
 * Build `lines` inside runGpuKernel's `describe` callback: source text is then only made on a
 * kernel-cache miss, not on every call.
 *
 * @example
 * kernelFunction('x', ['return x[this.thread.x] * 2.0;'], 8);
 */
export function kernelFunction(params: string, lines: readonly string[], size: number): GpuKernelSource {
  return { source: `function (${params}) {\n${lines.join('\n')}\n}`, output: [Math.max(size, 1)] };
}

/**
 * Statements that split the flat output index `index` into coordinates `${prefix}0..` of
 * `shape`. Size-1 axes get coordinate 0 without arithmetic.
 *
 * @example
 * coordinateStatements('i', [3, 4], 'c'); // const c0 = Math.floor(i / 4); const c1 = i - c0 * 4;
 */
export function coordinateStatements(index: string, shape: readonly number[], prefix: string): string {
  const strides = computeStrides(shape);
  const lines: string[] = [];
  let rest = index;
  for (let axis = 0; axis < shape.length; axis++) {
    const name = `${prefix}${axis}`;
    if (shape[axis] === 1) {
      lines.push(`const ${name} = 0;`);
    } else if (axis === shape.length - 1 || strides[axis] === 1) {
      lines.push(`const ${name} = ${rest};`);
    } else {
      lines.push(`const ${name} = Math.floor(${rest} / ${strides[axis]});`);
      const remainder = `${prefix}r${axis}`;
      lines.push(`const ${remainder} = ${rest} - ${name} * ${strides[axis]};`);
      rest = remainder;
    }
  }
  return lines.join('\n');
}

/**
 * Flat offset into an operand of `inShape` broadcast (numpy rules) to `outShape`, given the
 * output coordinates named `${prefix}0..`. Broadcast axes contribute nothing.
 */
export function broadcastOffsetExpression(
  inShape: readonly number[],
  outShape: readonly number[],
  prefix: string,
): string {
  const strides = computeStrides(inShape);
  const shift = outShape.length - inShape.length;
  const terms: string[] = [];
  for (let axis = 0; axis < inShape.length; axis++) {
    if (inShape[axis] === 1) continue;
    const coordinate = `${prefix}${axis + shift}`;
    terms.push(strides[axis] === 1 ? coordinate : `${coordinate} * ${strides[axis]}`);
  }
  return terms.length === 0 ? '0' : terms.join(' + ');
}

/** A float literal gpu.js types as Float (an integer-looking literal would be typed Integer). */
export function floatLiteral(value: number): string {
  if (Number.isNaN(value)) return '(0.0 / 0.0)';
  if (value === Infinity) return '(1.0 / 0.0)';
  if (value === -Infinity) return '(-1.0 / 0.0)';
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}
