import type { GradientFn } from './gradient_registry.js';

/** Identity passes the gradient through (StopGradient blocks it: see no_gradient.ts). */
export const controlFlowGradients: [string, GradientFn | null][] = [
  ['Identity', (_op, [dy]) => [dy ?? null]],
  // Every summand of AddN receives the whole gradient.
  ['AddN', (op, [dy]) => op.inputs.map(() => dy ?? null)],
];
