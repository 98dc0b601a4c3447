import type { Tensor } from '../../graph/tensor.js';
import type { Attrs } from '../../graph/operation.js';
import { buildOp1, type OpOptions } from '../../ops/op_builder.js';

/** A backward op whose output has the (runtime) shape of `like`; window attrs copied from the forward op. */
function windowGradOp(type: string, inputs: Tensor[], like: Tensor, attrs: Attrs, options: OpOptions): Tensor {
  return buildOp1({
    type,
    inputs,
    options,
    attrs,
    infer: () => [{ dtype: 'float32', shape: like.shape }],
  });
}

/** dL/dx of conv2d(x, filter): dy correlated with the flipped filter. x is read for its shape only. */
export function conv2DBackpropInput(x: Tensor, filter: Tensor, dy: Tensor, attrs: Attrs, options: OpOptions = {}): Tensor {
  return windowGradOp('Conv2DBackpropInput', [x, filter, dy], x, { strides: attrs['strides']!, padding: attrs['padding']! }, options);
}

/** dL/dfilter of conv2d(x, filter): x correlated with dy. filter is read for its shape only. */
export function conv2DBackpropFilter(x: Tensor, filter: Tensor, dy: Tensor, attrs: Attrs, options: OpOptions = {}): Tensor {
  return windowGradOp('Conv2DBackpropFilter', [x, filter, dy], filter, { strides: attrs['strides']!, padding: attrs['padding']! }, options);
}

/** dL/dx of maxPool: each window's dy goes to its (first) maximum. */
export function maxPoolGrad(x: Tensor, dy: Tensor, attrs: Attrs, options: OpOptions = {}): Tensor {
  return windowGradOp('MaxPoolGrad', [x, dy], x, { ksize: attrs['ksize']!, strides: attrs['strides']!, padding: attrs['padding']! }, options);
}
