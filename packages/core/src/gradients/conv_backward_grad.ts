import { attrsOf, type ConvAttrs, type OpType } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import { conv2d } from '../ops/conv2d.js';
import type { GradientFn } from './gradient_registry.js';
import { conv2DBackpropFilter, conv2DBackpropInput, maxPoolGrad, maxPoolGradGrad } from '../ops/conv_grad_ops.js';

/*
 * Gradients of the conv / maxPool backward ops, for second-order gradients (TF's
 * _Conv2DBackpropInputGrad, _Conv2DBackpropFilterGrad, _MaxPoolGradGrad). The conv backward ops
 * are bilinear, so each derivative is another conv op; inputs read only for their shape get none.
 */

function convolve(x: Tensor, filter: Tensor, attrs: ConvAttrs): Tensor {
  return conv2d(x, filter, attrs.strides, attrs.padding);
}

export const convBackwardGradients: [OpType, GradientFn][] = [
  // dx = BackpropInput(x, filter, dy): d/dfilter = BackpropFilter(g, filter, dy), d/ddy = conv2d(g, filter).
  [
    'Conv2DBackpropInput',
    (op, [g]) => {
      if (!g) return [null, null, null];
      const [, filter, dy] = op.inputs as [Tensor, Tensor, Tensor];
      const attrs = attrsOf<'Conv2DBackpropInput'>(op);
      return [null, conv2DBackpropFilter(g, filter, dy, attrs), convolve(g, filter, attrs)];
    },
  ],
  // dfilter = BackpropFilter(x, filter, dy): d/dx = BackpropInput(x, g, dy), d/ddy = conv2d(x, g).
  [
    'Conv2DBackpropFilter',
    (op, [g]) => {
      if (!g) return [null, null, null];
      const [x, , dy] = op.inputs as [Tensor, Tensor, Tensor];
      const attrs = attrsOf<'Conv2DBackpropFilter'>(op);
      return [conv2DBackpropInput(x, g, dy, attrs), null, convolve(x, g, attrs)];
    },
  ],
  // MaxPoolGrad and MaxPoolGradGrad are adjoint in their gradient input; x only picks the maxima.
  [
    'MaxPoolGrad',
    (op, [g]) => (g ? [null, maxPoolGradGrad(op.inputs[0]!, g, attrsOf<'MaxPoolGrad'>(op))] : [null, null]),
  ],
  [
    'MaxPoolGradGrad',
    (op, [g]) => (g ? [null, maxPoolGrad(op.inputs[0]!, g, attrsOf<'MaxPoolGradGrad'>(op))] : [null, null]),
  ],
];
