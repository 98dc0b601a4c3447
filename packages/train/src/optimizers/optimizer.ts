import {
  type Graph,
  InvalidArgumentError,
  type Operation,
  Tensor,
  type TensorLike,
  Variable,
  type IndexedSlices,
  constant,
  controlDependencies,
  gradients,
  group,
  indexedSlicesOf,
  nameScope,
  ndarray,
  trainableVariables,
} from '@tsflow/core';

/** A (gradient, variable) pair; the gradient is null when the loss doesn't depend on the variable. */
export type GradAndVar = [Tensor | null, Variable];

export interface ComputeGradientsOptions {
  /** Variables to differentiate (default: the graph's trainable variables). */
  varList?: readonly Variable[];
}

export interface ApplyGradientsOptions {
  /** Incremented by one after the updates ran. */
  globalStep?: Variable;
  /** Name of the returned op and scope of the update ops (default: the optimizer's name). */
  name?: string;
}

export type MinimizeOptions = ComputeGradientsOptions & ApplyGradientsOptions;

/**
 * Base of the TF1-style optimizers: builds gradient ops, slot variables (named
 * `<variable>/<OptimizerName>`, non-trainable) and one fused update op per variable.
 */
export abstract class Optimizer {
  readonly name: string;
  private readonly slots = new Map<string, Map<Variable, Variable>>();
  /** Per graph, as in TF1: one optimizer may build training ops in several graphs. */
  private readonly nonSlotVariables = new Map<Graph, Map<string, Variable>>();

  protected constructor(name: string) {
    this.name = name;
  }

  /** Builds the gradient of `loss` for each variable. */
  computeGradients(loss: Tensor, options: ComputeGradientsOptions = {}): GradAndVar[] {
    if (!(loss instanceof Tensor))
      throw new InvalidArgumentError(`${this.name}.computeGradients: loss must be a Tensor`);
    if (loss.dtype !== 'float32')
      throw new InvalidArgumentError(
        `${this.name}.computeGradients: loss ${loss.name} must be float32, got ${loss.dtype}`,
      );
    const vars = options.varList ?? trainableVariables(loss.graph);
    if (!Array.isArray(vars))
      throw new InvalidArgumentError(`${this.name}.computeGradients: varList must be an array of Variables`);
    if (vars.length === 0) throw new InvalidArgumentError('No variables to optimize.');
    vars.forEach((v, i) => {
      if (!(v instanceof Variable)) throw new InvalidArgumentError(`${this.name}: varList[${i}] is not a Variable`);
    });
    const grads = gradients(loss, vars);
    return vars.map((v, i): GradAndVar => [grads[i] ?? null, v]);
  }

  /** Builds the update ops for the pairs that have a gradient; returns one op that runs them all. */
  applyGradients(gradsAndVars: readonly GradAndVar[], options: ApplyGradientsOptions = {}): Operation {
    const pairs = this.checkPairs(gradsAndVars);
    const graph = pairs[0]![1].graph;
    const name = options.name ?? this.name;
    const step = options.globalStep;
    if (step !== undefined && !(step instanceof Variable))
      throw new InvalidArgumentError(`${this.name}: globalStep must be a Variable`);
    return graph.asDefault(() => {
      controlDependencies(null, () =>
        this.createSlots(
          pairs.map(([, v]) => v),
          graph,
        ),
      );
      let scope = '';
      const finished = nameScope(name, () => {
        scope = graph.currentScope;
        this.prepare();
        const updates = pairs.map(([grad, v]) =>
          nameScope(`update_${v.name.replace(/[^A-Za-z0-9_.\-/]/g, '_')}`, () => this.applyOne(grad, v)),
        );
        return this.finish(
          updates.map((u) => u.op),
          'update',
        );
      });
      // The returned op takes the scope's own name ('Adam', 'Adam_1', ...) as in TF.
      if (step === undefined) return group([finished], { name: scope });
      // TF1 returns the global step increment, which runs only after every update.
      return controlDependencies([finished], () => step.assignAdd(1, { name: scope })).op;
    });
  }

  /** computeGradients + applyGradients. Returns the training op. */
  minimize(loss: Tensor, options: MinimizeOptions = {}): Operation {
    const gradsAndVars = this.computeGradients(loss, options);
    if (gradsAndVars.every(([grad]) => grad === null)) {
      throw new InvalidArgumentError(
        `No gradients provided for any variable, check your graph for ops that do not support gradients, between variables [${gradsAndVars
          .map(([, v]) => `"${v.toString()}"`)
          .join(', ')}] and loss ${loss.toString()}.`,
      );
    }
    const applyOptions: ApplyGradientsOptions = {};
    if (options.globalStep !== undefined) applyOptions.globalStep = options.globalStep;
    if (options.name !== undefined) applyOptions.name = options.name;
    return this.applyGradients(gradsAndVars, applyOptions);
  }

  /** The slot variable `slotName` (e.g. 'm', 'v', 'momentum') of `variable`, if created. */
  getSlot(variable: Variable, slotName: string): Variable | undefined {
    return this.slots.get(slotName)?.get(variable);
  }

  getSlotNames(): string[] {
    return [...this.slots.keys()].sort();
  }

  /** Every variable the optimizer created (slots and e.g. Adam's beta powers). */
  variables(): Variable[] {
    const out: Variable[] = [];
    for (const byName of this.nonSlotVariables.values()) out.push(...byName.values());
    for (const bySlot of this.slots.values()) out.push(...bySlot.values());
    return out;
  }

  /** Creates the slot variables the update of each variable needs. */
  protected abstract createSlots(vars: readonly Variable[], graph: Graph): void;

  /** Turns hyperparameters into tensors, once per applyGradients call. */
  protected abstract prepare(): void;

  /** One fused update op for one variable; returns its output (the new value). */
  protected abstract applyDense(grad: Tensor, variable: Variable): Tensor;

  /**
   * The update for a gradient of `gather` (its IndexedSlices form): as TF1, only the looked-up
   * rows of the variable and its slots change (Adam: see AdamOptimizer), repeated rows summed.
   */
  protected abstract applySparse(grad: IndexedSlices, variable: Variable): Tensor;

  /** Sparse when the gradient carries an IndexedSlices form (a gather gradient), else dense. */
  private applyOne(grad: Tensor, variable: Variable): Tensor {
    const sparse = indexedSlicesOf(grad);
    return sparse === undefined ? this.applyDense(grad, variable) : this.applySparse(sparse, variable);
  }

  /** Groups the updates (Adam also advances its beta powers here). */
  protected finish(updates: Operation[], name: string): Operation {
    return group(updates, { name });
  }

  /** A slot of `variable` filled with `value`, named `<variable>/<OptimizerName>[_n]`; reused when it exists. */
  protected slot(variable: Variable, slotName: string, value: number): Variable {
    let bySlot = this.slots.get(slotName);
    if (!bySlot) this.slots.set(slotName, (bySlot = new Map()));
    const existing = bySlot.get(variable);
    if (existing) return existing;
    const init = ndarray(new Float32Array(variable.shape.reduce((a, b) => a * b, 1)).fill(value), {
      shape: variable.shape,
    });
    const created = nameScope(`${variable.name}/`, () => new Variable(init, { name: this.name, trainable: false }));
    bySlot.set(variable, created);
    return created;
  }

  /** A variable shared by all updates (e.g. Adam's beta1_power), created once per graph. */
  protected nonSlotVariable(name: string, value: number, graph: Graph): Variable {
    let byName = this.nonSlotVariables.get(graph);
    if (!byName) this.nonSlotVariables.set(graph, (byName = new Map()));
    let variable = byName.get(name);
    if (!variable) byName.set(name, (variable = new Variable(ndarray(value), { name, trainable: false })));
    return variable;
  }

  /** A float32 scalar tensor for a hyperparameter (a number becomes a named constant; a Variable is read each step). */
  protected hyperparameter(value: TensorLike, name: string): Tensor {
    if (value instanceof Variable) return this.hyperparameter(value.value(), name);
    if (value instanceof Tensor) {
      if (value.dtype !== 'float32')
        throw new InvalidArgumentError(`${this.name}: ${name} must be float32, got ${value.dtype}`);
      return value;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      const got = Array.isArray(value) ? JSON.stringify(value) : String(value);
      throw new InvalidArgumentError(`${this.name}: ${name} must be a finite number or a float32 Tensor, got ${got}`);
    }
    return constant(value, { name });
  }

  /** Drops pairs without a gradient and validates the rest. */
  private checkPairs(gradsAndVars: readonly GradAndVar[]): [Tensor, Variable][] {
    if (!Array.isArray(gradsAndVars))
      throw new InvalidArgumentError(`${this.name}.applyGradients: expected an array of [grad, variable] pairs`);
    const pairs: [Tensor, Variable][] = [];
    const seen = new Set<Variable>();
    gradsAndVars.forEach((pair, i) => {
      if (!Array.isArray(pair))
        throw new InvalidArgumentError(`${this.name}.applyGradients: item ${i} must be a [gradient, variable] pair`);
      const [grad, v] = pair;
      if (!(v instanceof Variable))
        throw new InvalidArgumentError(`${this.name}.applyGradients: item ${i} has no Variable`);
      if (grad === null || grad === undefined) return;
      if (!(grad instanceof Tensor))
        throw new InvalidArgumentError(`${this.name}.applyGradients: gradient of '${v.name}' must be a Tensor or null`);
      if (seen.has(v))
        throw new InvalidArgumentError(`${this.name}.applyGradients: variable '${v.name}' appears more than once`);
      seen.add(v);
      pairs.push([grad, v]);
    });
    if (pairs.length === 0) {
      throw new InvalidArgumentError(
        `No gradients provided for any variable: [${gradsAndVars.map(([, v]) => `"${v?.name}"`).join(', ')}].`,
      );
    }
    return pairs;
  }
}
