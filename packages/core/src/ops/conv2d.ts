import type { Tensor } from '../graph/tensor.js';
import { normalizeWindow2d, requirePadding, type Padding } from '../ndarray/window_geometry.js';
import { inferWindowOutput } from './window_shape.js';
import {
  buildOp1,
  requireDTypes,
  requireSameDTypes,
  shapeError,
  type OpOptions,
  type TensorLike,
} from './op_builder.js';

/**
 * 2-D convolution (cross-correlation, as in TF) of NHWC `x` [batch, h, w, in] with an HWIO
 * `filter` [kh, kw, in, out]. `strides` is n, [sh, sw] or [1, sh, sw, 1]; padding follows TF.
 *
 * @example
 * conv2d(images, kernel, 1, 'SAME'); // [n, 28, 28, 1] * [5, 5, 1, 32] -> [n, 28, 28, 32]
 */
export function conv2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | readonly number[],
  padding: Padding,
  options: OpOptions = {},
): Tensor {
  const what = options.name ?? 'Conv2D';
  const [sh, sw] = normalizeWindow2d(strides, `${what}: strides`);
  const pad = requirePadding(padding, what);
  return buildOp1({
    type: 'Conv2D',
    inputs: [x, filter],
    options,
    attrs: { strides: [1, sh, sw, 1], padding: pad },
    infer: (inputs, opName) => {
      const [input, kernel] = inputs as [Tensor, Tensor];
      requireSameDTypes(inputs, opName, 'Conv2D');
      requireDTypes(input, ['float32'], opName, 'Conv2D');
      const xs = input.shape;
      const fs = kernel.shape;
      if (xs !== null && xs.length !== 4)
        throw shapeError(`Shape must be rank 4 but is rank ${xs.length}`, opName, 'Conv2D', inputs);
      if (fs !== null && fs.length !== 4)
        throw shapeError(`Shape must be rank 4 but is rank ${fs.length}`, opName, 'Conv2D', inputs);
      const inChannels = xs?.[3] ?? null;
      const filterIn = fs?.[2] ?? null;
      if (inChannels !== null && filterIn !== null && inChannels !== filterIn) {
        throw shapeError(
          `Depth of input (${inChannels}) is not a multiple of input depth of filter (${filterIn})`,
          opName,
          'Conv2D',
          inputs,
        );
      }
      const kh = fs?.[0] ?? null;
      const kw = fs?.[1] ?? null;
      const outH = inferWindowOutput(xs?.[1] ?? null, kh, sh, pad, opName, 'Conv2D', inputs);
      const outW = inferWindowOutput(xs?.[2] ?? null, kw, sw, pad, opName, 'Conv2D', inputs);
      return [{ dtype: 'float32', shape: [xs?.[0] ?? null, outH, outW, fs?.[3] ?? null] }];
    },
  });
}
