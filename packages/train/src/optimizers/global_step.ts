import { type Graph, Variable, controlDependencies, getDefaultGraph, ndarray } from '@tsflow/core';

/** Graph collection holding the global step variable (TF's GraphKeys.GLOBAL_STEP). */
export const GLOBAL_STEP_COLLECTION = 'global_step';

/** The graph's global step variable, or undefined when none was created. */
export function getGlobalStep(graph: Graph = getDefaultGraph()): Variable | undefined {
  return graph.getCollection<Variable>(GLOBAL_STEP_COLLECTION)[0];
}

/**
 * The graph's int32 `global_step` variable (non-trainable, starts at 0), created on first use.
 * Pass it to `minimize(loss, { globalStep })` to count training steps.
 *
 * @example
 * const step = getOrCreateGlobalStep();
 * const trainOp = new AdamOptimizer(0.01).minimize(loss, { globalStep: step });
 */
export function getOrCreateGlobalStep(graph: Graph = getDefaultGraph()): Variable {
  const existing = getGlobalStep(graph);
  if (existing) return existing;
  const step = graph.asDefault(() =>
    // Created outside any enclosing control dependencies so initializing it never runs them.
    controlDependencies(
      null,
      () => new Variable(ndarray(0, { dtype: 'int32' }), { name: 'global_step', trainable: false }),
    ),
  );
  graph.addToCollection(GLOBAL_STEP_COLLECTION, step);
  return step;
}
