import { InvalidArgumentError } from '../errors.js';
import { getDefaultGraph } from './graph.js';
import { Operation } from './operation.js';
import { isTensorConvertible, Tensor, AS_TENSOR } from './tensor.js';

/**
 * Runs `fn` with ops named under `name/` (uniquified: a second `layer1` scope is `layer1_1/`).
 * A name ending in `/` re-enters that exact scope.
 *
 * @example
 * nameScope('layer1', () => add(1, 2)).name; // 'layer1/Add:0'
 */
export function nameScope<T>(name: string, fn: () => T): T {
  const graph = getDefaultGraph();
  if (typeof name !== 'string' || name.length === 0)
    throw new InvalidArgumentError(`nameScope: name must be a non-empty string`);
  if (name.endsWith('/')) return graph.withScope(name.slice(0, -1), fn);
  const scope = graph.uniqueName(name);
  return graph.withScope(scope, fn);
}

export type ControlInput = Operation | Tensor | { [AS_TENSOR](): Tensor };

/**
 * Every op created in `fn` gets `deps` as control inputs (it runs only after them).
 * `null` clears the dependencies of enclosing blocks.
 */
export function controlDependencies<T>(deps: readonly ControlInput[] | null, fn: () => T): T {
  const graph = getDefaultGraph();
  if (deps === null) return graph.withControlDependencies(null, fn);
  const ops = deps.map((dep, i) => toControlOp(dep, i));
  for (const op of ops) {
    if (op.graph !== graph) {
      throw new InvalidArgumentError(
        `controlDependencies: '${op.name}' is from a different graph than the default graph.`,
      );
    }
  }
  return graph.withControlDependencies(ops, fn);
}

export function toControlOp(dep: unknown, index: number): Operation {
  if (dep instanceof Operation) return dep;
  if (dep instanceof Tensor) return dep.op;
  if (isTensorConvertible(dep)) return dep[AS_TENSOR]().op;
  throw new InvalidArgumentError(`controlDependencies: item ${index} must be an Operation, Tensor or Variable`);
}
