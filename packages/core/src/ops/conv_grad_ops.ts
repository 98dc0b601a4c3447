import type { ConvAttrs, OpType, PoolAttrs } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import type { Attrs } from '../graph/operation.js';
import { buildOp1, type OpOptions } from './op_builder.js';
import { inferWindowOutput } from './window_shape.js';

/** A backward op whose output has the (runtime) shape of `like`; window attrs copied from the forward op. */
function windowGradOp(type: OpType, inputs: Tensor[], like: Tensor, attrs: Attrs, options: OpOptions): Tensor {
  return buildOp1({
    type,
    inputs,
    options,
    attrs,
    infer: () => [{ dtype: 'float32', shape: like.shape }],
  });
}

/** dL/dx of conv2d(x, filter): dy correlated with the flipped filter. x is read for its shape only. */
export function conv2DBackpropInput(
  x: Tensor,
  filter: Tensor,
  dy: Tensor,
  attrs: ConvAttrs,
  options: OpOptions = {},
): Tensor {
  return windowGradOp(
    'Conv2DBackpropInput',
    [x, filter, dy],
    x,
    { strides: attrs.strides, padding: attrs.padding },
    options,
  );
}

/** dL/dfilter of conv2d(x, filter): x correlated with dy. filter is read for its shape only. */
export function conv2DBackpropFilter(
  x: Tensor,
  filter: Tensor,
  dy: Tensor,
  attrs: ConvAttrs,
  options: OpOptions = {},
): Tensor {
  return windowGradOp(
    'Conv2DBackpropFilter',
    [x, filter, dy],
    filter,
    { strides: attrs.strides, padding: attrs.padding },
    options,
  );
}

/** dL/dx of maxPool: each window's dy goes to its (first) maximum. */
export function maxPoolGrad(x: Tensor, dy: Tensor, attrs: PoolAttrs, options: OpOptions = {}): Tensor {
  return windowGradOp(
    'MaxPoolGrad',
    [x, dy],
    x,
    { ksize: attrs.ksize, strides: attrs.strides, padding: attrs.padding },
    options,
  );
}

/**
 * The gradient of maxPoolGrad for its dy: for each window of x, the value of `grad` (x's shape)
 * at the window's first maximum. Output: maxPool(x)'s shape. (TF's MaxPoolGradGrad, without the
 * forward output, which the window maxima of x give back.)
 */
export function maxPoolGradGrad(x: Tensor, grad: Tensor, attrs: PoolAttrs, options: OpOptions = {}): Tensor {
  return buildOp1({
    type: 'MaxPoolGradGrad',
    inputs: [x, grad],
    options,
    attrs: {
      ksize: attrs.ksize,
      strides: attrs.strides,
      padding: attrs.padding,
    },
    infer: (inputs, opName) => {
      const { ksize, strides, padding } = attrs;
      const xs = inputs[0]!.shape;
      const outH = inferWindowOutput(
        xs?.[1] ?? null,
        ksize[1]!,
        strides[1]!,
        padding,
        opName,
        'MaxPoolGradGrad',
        inputs,
      );
      const outW = inferWindowOutput(
        xs?.[2] ?? null,
        ksize[2]!,
        strides[2]!,
        padding,
        opName,
        'MaxPoolGradGrad',
        inputs,
      );
      return [{ dtype: 'float32', shape: xs === null ? null : [xs[0] ?? null, outH, outW, xs[3] ?? null] }];
    },
  });
}
