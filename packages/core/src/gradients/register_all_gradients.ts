import type { OpType } from '../graph/op_types.js';
import { registerGradient, type GradientFn } from './gradient_registry.js';
import { controlFlowGradients } from './control_flow_grad.js';
import { matMulGradients } from './MatMul_grad.js';
import { mathGradients } from './math_grad.js';
import { reductionGradients } from './reduction_grad.js';
import { shapeGradients } from './shape_grad.js';
import { nnGradients } from './nn_grad.js';
import { activationBackwardGradients } from './activation_backward_grad.js';
import { reductionBackwardGradients } from './reduction_backward_grad.js';
import { convBackwardGradients } from './conv_backward_grad.js';
import { nnBackwardGradients } from './nn_backward_grad.js';
import { shapeBackwardGradients } from './shape_backward_grad.js';
import { NOT_DIFFERENTIABLE } from './no_gradient.js';

/** One explicit list per op family; importing this module registers every gradient once. */
const families: readonly (readonly (readonly [OpType, GradientFn])[])[] = [
  controlFlowGradients,
  matMulGradients,
  mathGradients,
  reductionGradients,
  shapeGradients,
  nnGradients,
  // The backward ops that gradients build, differentiable again (second-order gradients).
  activationBackwardGradients,
  reductionBackwardGradients,
  convBackwardGradients,
  nnBackwardGradients,
  shapeBackwardGradients,
];

for (const family of families) for (const [opType, fn] of family) registerGradient(opType, fn);
// Not differentiable by decision, each with its reason (no_gradient.ts).
for (const opType of Object.keys(NOT_DIFFERENTIABLE)) registerGradient(opType, null);
