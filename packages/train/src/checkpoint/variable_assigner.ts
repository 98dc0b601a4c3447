import {
  FailedPreconditionError,
  type Graph,
  type NDArray,
  type Session,
  type Tensor,
  type Variable,
  controlDependencies,
  nameScope,
  placeholder,
} from '@tsflow/core';

interface AssignSlot {
  value: Tensor;
  assign: Tensor;
}

/**
 * Sets variables to given values in one `session.run`: a placeholder and an assign op per
 * variable (TF's `save/restore_*` ops), built the first time a variable is assigned and reused.
 * Shared by the Saver, early stopping's restoreBest and learning-rate schedules.
 */
export class VariableAssigner {
  private readonly slots = new Map<Variable, AssignSlot>();

  constructor(private readonly scope = 'save') {}

  /** Builds the ops for `variables` now (e.g. before `graph.finalize()`). */
  prepare(graph: Graph, variables: readonly Variable[]): void {
    const missing = variables.filter((v) => !this.slots.has(v));
    if (missing.length === 0) return;
    if (graph.isFinalized) {
      throw new FailedPreconditionError(
        `${this.scope}: the graph is finalized; build the assign ops (first restore) before graph.finalize()`,
      );
    }
    graph.asDefault(() =>
      controlDependencies(null, () =>
        nameScope(this.scope, () => {
          for (const variable of missing) {
            const value = placeholder(variable.dtype, variable.shape, { name: 'assign_value' });
            this.slots.set(variable, { value, assign: variable.assign(value, { name: 'assign' }) });
          }
        }),
      ),
    );
  }

  /** Assigns every value in one run: all of them change, or (on an error) none does. */
  async assign(session: Session, values: ReadonlyMap<Variable, NDArray>): Promise<void> {
    this.prepare(session.graph, [...values.keys()]);
    const feeds = new Map<Tensor, NDArray>();
    const assigns: Tensor[] = [];
    for (const [variable, value] of values) {
      const slot = this.slots.get(variable)!;
      feeds.set(slot.value, value);
      assigns.push(slot.assign);
    }
    await session.run(assigns, feeds);
  }
}
