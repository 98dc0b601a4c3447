import type { OpType } from '../graph/op_types.js';
import type { GradientFn } from './gradient_registry.js';

/** Identity passes the gradient through (StopGradient blocks it: see no_gradient.ts). */
export const controlFlowGradients: [OpType, GradientFn][] = [
  ['Identity', (_op, [dy]) => [dy ?? null]],
  // Every summand of AddN receives the whole gradient.
  ['AddN', (op, [dy]) => op.inputs.map(() => dy ?? null)],
];
