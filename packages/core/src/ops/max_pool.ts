import type { Tensor } from '../graph/tensor.js';
import { normalizeWindow2d, requirePadding, type Padding } from '../ndarray/window_geometry.js';
import { inferWindowOutput } from './window_shape.js';
import { buildOp1, requireDTypes, shapeError, type OpOptions, type TensorLike } from './op_builder.js';

/**
 * Max pooling of NHWC `x` over `ksize` windows (n, [kh, kw] or [1, kh, kw, 1]); SAME padding
 * ignores the padded positions, as in TF.
 *
 * @example
 * maxPool(conv, 2, 2, 'SAME'); // [n, 28, 28, c] -> [n, 14, 14, c]
 */
export function maxPool(
  x: TensorLike,
  ksize: number | readonly number[],
  strides: number | readonly number[],
  padding: Padding,
  options: OpOptions = {},
): Tensor {
  const what = options.name ?? 'MaxPool';
  const [kh, kw] = normalizeWindow2d(ksize, `${what}: ksize`);
  const [sh, sw] = normalizeWindow2d(strides, `${what}: strides`);
  const pad = requirePadding(padding, what);
  return buildOp1({
    type: 'MaxPool',
    inputs: [x],
    options,
    attrs: { ksize: [1, kh, kw, 1], strides: [1, sh, sw, 1], padding: pad },
    infer: (inputs, opName) => {
      const input = inputs[0]!;
      requireDTypes(input, ['float32'], opName, 'MaxPool');
      const xs = input.shape;
      if (xs === null) return [{ dtype: 'float32', shape: [null, null, null, null] }];
      if (xs.length !== 4) throw shapeError(`Shape must be rank 4 but is rank ${xs.length}`, opName, 'MaxPool', inputs);
      const outH = inferWindowOutput(xs[1]!, kh, sh, pad, opName, 'MaxPool', inputs);
      const outW = inferWindowOutput(xs[2]!, kw, sw, pad, opName, 'MaxPool', inputs);
      return [{ dtype: 'float32', shape: [xs[0]!, outH, outW, xs[3]!] }];
    },
  });
}
