import type { GradientFn } from './gradient_registry.js';

/** Identity passes the gradient through; StopGradient (and the grad helpers) block it. */
export const controlFlowGradients: [string, GradientFn | null][] = [
  ['Identity', (_op, [dy]) => [dy ?? null]],
  ['StopGradient', null],
  // Every summand of AddN receives the whole gradient.
  ['AddN', (op, [dy]) => op.inputs.map(() => dy ?? null)],
  // A fill of another tensor's shape does not depend on its values.
  ['FillLike', null],
];
