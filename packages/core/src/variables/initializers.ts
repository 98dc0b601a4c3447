import { opOptions } from '../ops/op_options.js';
import { getDefaultGraph, type Graph } from '../graph/graph.js';
import type { Operation } from '../graph/operation.js';
import type { Tensor } from '../graph/tensor.js';
import { InvalidArgumentError } from '../errors.js';
import { group } from '../ops/control_flow.js';
import type { OpOptions } from '../ops/op_builder.js';
import { globalVariables, Variable } from './variable.js';

/** One op that runs the initializers of `vars`. */
export function variablesInitializer(vars: readonly Variable[], options: OpOptions = {}): Operation {
  vars.forEach((v, i) => {
    if (!(v instanceof Variable)) throw new InvalidArgumentError(`variablesInitializer: item ${i} is not a Variable`);
  });
  const graph = vars[0]?.graph ?? getDefaultGraph();
  return graph.asDefault(() =>
    group(
      vars.map((v) => v.initializer),
      { name: opOptions<OpOptions>(options, 'variablesInitializer').name ?? 'init' },
    ),
  );
}

/** One op that initializes every variable of the default graph (or `graph`). */
export function globalVariablesInitializer(given: OpOptions & { graph?: Graph } = {}): Operation {
  const options = opOptions<OpOptions & { graph?: Graph }>(given, 'globalVariablesInitializer');
  const graph = options.graph ?? getDefaultGraph();
  return graph.asDefault(() => variablesInitializer(globalVariables(graph), { name: options.name ?? 'init' }));
}

/**
 * A bool tensor of shape [n], true where the matching variable of `vars` (default: all global
 * variables, in creation order) has no value in the session that runs it. Use
 * `uninitializedVariableNames(session)` for the names.
 */
export function reportUninitializedVariables(vars?: readonly Variable[], options: OpOptions = {}): Tensor {
  const graph = vars?.[0]?.graph ?? getDefaultGraph();
  const list = vars ?? globalVariables(graph);
  return graph.addOperation({
    type: 'ReportUninitializedVariables',
    name: opOptions<OpOptions>(options, 'reportUninitializedVariables').name ?? 'report_uninitialized_variables',
    attrs: { variables: list.map((v) => v.name) },
    outputs: [{ dtype: 'bool', shape: [list.length] }],
  }).output;
}
