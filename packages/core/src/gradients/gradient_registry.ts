import { InvalidArgumentError } from '../errors.js';
import type { Operation } from '../graph/operation.js';
import type { Tensor } from '../graph/tensor.js';

/**
 * Builds the gradient of an op as graph ops: given dL/d(output_i) (null when an output doesn't
 * reach the loss), returns dL/d(input_j) for each input (null when not differentiable there).
 */
export type GradientFn = (op: Operation, outputGrads: readonly (Tensor | null)[]) => (Tensor | null)[];

const gradients = new Map<string, GradientFn | null>();

/** Registers the gradient function of an op type; `null` marks it as not differentiable. */
export function registerGradient(opType: string, fn: GradientFn | null): void {
  if (typeof opType !== 'string' || opType === '')
    throw new InvalidArgumentError(
      `registerGradient: opType must be a non-empty string, got ${JSON.stringify(opType)}`,
    );
  if (fn !== null && typeof fn !== 'function') {
    throw new InvalidArgumentError(
      `registerGradient: the gradient of '${opType}' must be a function or null, got ${typeof fn}`,
    );
  }
  if (gradients.has(opType)) throw new Error(`A gradient for '${opType}' is already registered`);
  gradients.set(opType, fn);
}

/** `undefined` when nothing is registered, `null` when registered as not differentiable. */
export function getGradient(opType: string): GradientFn | null | undefined {
  return gradients.get(opType);
}

/** Op types with a registered gradient entry (a function or `null`), sorted. @internal */
export function registeredGradientOpTypes(): string[] {
  return [...gradients.keys()].sort();
}
