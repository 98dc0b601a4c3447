import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../errors.js';
import { type Attrs, Operation, type OutputSpec } from './operation.js';
import { graphFromJSON, type GraphJSON, graphToJSON } from './serialization.js';
import { Tensor } from './tensor.js';

interface FreeName {
  name: string;
  suffix: number;
}

export interface AddOperationArgs {
  type: string;
  /** Requested name (scoped and uniquified); defaults to the op type. */
  name?: string | undefined;
  inputs?: readonly Tensor[];
  /** @internal Use `name` verbatim (already reserved with `uniqueName`, no scope prefix). */
  exactName?: boolean;
  /** Extra control inputs besides the ones from enclosing `controlDependencies` blocks. */
  controlInputs?: readonly Operation[];
  attrs?: Attrs;
  /**
   * Output dtypes/shapes, computed from the final op name so that shape errors can name it.
   * Throw (e.g. with `shapeMismatchError`) to reject the inputs; nothing is added then.
   */
  outputs: readonly OutputSpec[] | ((opName: string) => readonly OutputSpec[]);
}

/**
 * A dataflow graph: operations connected by tensors. Ops are added by the op functions to the
 * default graph (see `asDefault`).
 *
 * @example
 * const g = new Graph();
 * const sum = g.asDefault(() => add(constant(5), constant(3)));
 */
export class Graph {
  private readonly ops: Operation[] = [];
  private readonly opsByName = new Map<string, Operation>();
  /** Lower-cased name -> next suffix to try, shared by op names and name scopes (as in TF). */
  private readonly nameCounters = new Map<string, number>();
  private readonly scopeStack: string[] = [];
  private readonly controlStack: (Operation[] | null)[] = [];
  private readonly collectionMap = new Map<string, unknown[]>();
  private finalized = false;
  /** Graph-level random seed (combined with op seeds, like tf.set_random_seed). */
  seed: number | undefined;
  /** Bumped on every added op; sessions use it to invalidate cached plans. @internal */
  version = 0;

  /** Operations in creation order. */
  get operations(): readonly Operation[] {
    return this.ops;
  }

  get isFinalized(): boolean {
    return this.finalized;
  }

  /** Makes the graph read-only: adding an op afterwards throws. */
  finalize(): void {
    this.finalized = true;
  }

  /** Runs `fn` with this graph as the default graph; restores the previous one on exit or throw. */
  asDefault<T>(fn: () => T): T {
    defaultGraphStack.push(this);
    try {
      return fn();
    } finally {
      defaultGraphStack.pop();
    }
  }

  /** The operation called `name`. */
  getOperation(name: string): Operation {
    if (typeof name !== 'string')
      throw new InvalidArgumentError(`getOperation: name must be a string, got ${typeof name}`);
    const op = this.opsByName.get(name);
    if (!op) {
      if (name.includes(':')) {
        throw new InvalidArgumentError(
          `The name '${name}' looks like a Tensor name, but you are trying to get an Operation; use getTensor('${name}') instead.`,
        );
      }
      throw new NotFoundError(`The name '${name}' refers to an Operation not in the graph.`);
    }
    return op;
  }

  hasOperation(name: string): boolean {
    return this.opsByName.has(name);
  }

  /** The tensor called `'op:index'`. */
  getTensor(name: string): Tensor {
    const match = typeof name === 'string' ? /^(.*):(\d+)$/.exec(name) : null;
    if (!match) {
      throw new InvalidArgumentError(
        `The name '${String(name)}' looks like an (invalid) Operation name, not a Tensor. Tensor names must be of the form "<op_name>:<output_index>".`,
      );
    }
    const opName = match[1]!;
    const index = Number(match[2]);
    const op = this.opsByName.get(opName);
    if (!op) {
      throw new NotFoundError(
        `The name '${name}' refers to a Tensor which does not exist. The operation, '${opName}', does not exist in the graph.`,
      );
    }
    const tensor = op.outputs[index];
    if (!tensor) {
      throw new NotFoundError(
        `The name '${name}' refers to a Tensor which does not exist. The operation, '${opName}', exists but only has ${op.outputs.length} outputs.`,
      );
    }
    return tensor;
  }

  /** The current name-scope prefix (`'a/b/'`, or `''`). */
  get currentScope(): string {
    return this.scopeStack.length === 0 ? '' : `${this.scopeStack[this.scopeStack.length - 1]}/`;
  }

  /** Reserves and returns a graph-unique name for `base` inside the current scope. */
  uniqueName(base: string): string {
    const full = this.currentScope + base;
    const free = this.freeName(full);
    this.reserveName(full, free);
    return free.name;
  }

  /** Like `uniqueName`, but reserves nothing: the name the next op with `base` would get. */
  peekUniqueName(base: string): string {
    return this.freeName(this.currentScope + base).name;
  }

  /**
   * `full` itself if free, else the first free `full_i` from the counter on (suffix 0 = unsuffixed).
   * Names are compared case-insensitively, as in TF, so that names which differ only in case
   * (`bar`, `Bar_1`) never map to one checkpoint or summary file on a case-insensitive file system.
   */
  private freeName(full: string): FreeName {
    const key = full.toLowerCase();
    if (!this.nameCounters.has(key)) return { name: full, suffix: 0 };
    let i = this.nameCounters.get(key)!;
    while (this.nameCounters.has(`${key}_${i}`)) i++;
    return { name: `${full}_${i}`, suffix: i };
  }

  private reserveName(full: string, free: FreeName): void {
    const key = full.toLowerCase();
    if (free.suffix === 0) {
      this.nameCounters.set(key, 1);
      return;
    }
    this.nameCounters.set(key, free.suffix + 1);
    this.nameCounters.set(free.name.toLowerCase(), 1);
  }

  /** @internal Pushes a scope (already uniquified) — use `nameScope()`. */
  withScope<T>(scopeName: string, fn: () => T): T {
    this.scopeStack.push(scopeName);
    try {
      return fn();
    } finally {
      this.scopeStack.pop();
    }
  }

  /** @internal — use `controlDependencies()`. `null` clears the enclosing dependencies. */
  withControlDependencies<T>(ops: Operation[] | null, fn: () => T): T {
    this.controlStack.push(ops);
    try {
      return fn();
    } finally {
      this.controlStack.pop();
    }
  }

  /** Control inputs every op created now receives. */
  private currentControlInputs(): Operation[] {
    const result: Operation[] = [];
    for (let i = this.controlStack.length - 1; i >= 0; i--) {
      const level = this.controlStack[i];
      if (level === null) break;
      for (const op of level!) if (!result.includes(op)) result.push(op);
    }
    return result;
  }

  /** Adds an operation. Op functions call this after validating their inputs. */
  addOperation(args: AddOperationArgs): Operation {
    if (this.finalized) throw new FailedPreconditionError('Graph is finalized and cannot be modified.');
    const inputs = args.inputs ?? [];
    for (const input of inputs) {
      if (!(input instanceof Tensor)) {
        throw new InvalidArgumentError(`addOperation(${args.type}): every input must be a Tensor`);
      }
      if (input.graph !== this) throw graphMismatchError(input, this);
    }
    let requested = args.name ?? args.type;
    validateOpName(requested);
    // As in TF, a name ending in '/' (a scope's full name) is taken verbatim, unscoped: this is how
    // an op gets the same name as the scope that holds its helpers (an optimizer's 'Adam').
    const verbatim = args.exactName === true || requested.endsWith('/');
    if (requested.endsWith('/')) requested = requested.slice(0, -1);
    if (verbatim && this.opsByName.has(requested)) {
      throw new InvalidArgumentError(`An operation named '${requested}' already exists in the graph.`);
    }
    const full = verbatim ? requested : this.currentScope + requested;
    const free: FreeName = verbatim ? { name: requested, suffix: 0 } : this.freeName(full);
    const name = free.name;
    const outputs = typeof args.outputs === 'function' ? args.outputs(name) : args.outputs;
    const controlInputs = this.currentControlInputs();
    // Ops whose data inputs already depend on a control op don't need it again, but TF keeps
    // them all; we keep them too for faithful graphs.
    for (const extra of args.controlInputs ?? []) {
      if (extra.graph !== this)
        throw new InvalidArgumentError(`Control input '${extra.name}' is from a different graph than '${name}'.`);
      if (!controlInputs.includes(extra)) controlInputs.push(extra);
    }
    if (!verbatim || !this.nameCounters.has(name.toLowerCase())) this.reserveName(full, free);
    const op = new Operation(this, this.ops.length, name, args.type, inputs, controlInputs, args.attrs ?? {}, outputs);
    this.ops.push(op);
    this.opsByName.set(name, op);
    this.version++;
    return op;
  }

  /** A JSON description of every op (no code): `Graph.fromJSON(g.toJSON())` rebuilds it. */
  toJSON(): GraphJSON {
    return graphToJSON(this);
  }

  /** Rebuilds a graph from `toJSON()` output. Only data is read; nothing is evaluated. */
  static fromJSON(json: unknown): Graph {
    return graphFromJSON(json, new Graph());
  }

  /** Items of a named collection (e.g. 'variables', 'trainable_variables'). */
  getCollection<T = unknown>(key: string): readonly T[] {
    return (this.collectionMap.get(key) ?? []) as T[];
  }

  addToCollection(key: string, value: unknown): void {
    let list = this.collectionMap.get(key);
    if (!list) this.collectionMap.set(key, (list = []));
    if (!list.includes(value)) list.push(value);
  }

  /** @internal */
  get collectionKeys(): string[] {
    return [...this.collectionMap.keys()];
  }
}

function validateOpName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || !/^[A-Za-z0-9.][A-Za-z0-9_.\-/]*$/.test(name)) {
    throw new InvalidArgumentError(
      `'${String(name)}' is not a valid node name: names start with a letter, digit or '.', then use letters, digits, '_', '.', '-', '/'.`,
    );
  }
}

export function graphMismatchError(tensor: Tensor, graph: Graph): InvalidArgumentError {
  const other = graph.operations[graph.operations.length - 1];
  return new InvalidArgumentError(
    `Tensor("${tensor.name}") must be from the same graph as ${other ? `Tensor("${other.outputs[0]?.name ?? other.name}")` : 'the graph it is used in'}: it belongs to a different Graph.`,
  );
}

const defaultGraphStack: Graph[] = [];
let globalDefaultGraph = new Graph();

/** The graph that op functions add to: the innermost `asDefault` graph, else the global one. */
export function getDefaultGraph(): Graph {
  return defaultGraphStack[defaultGraphStack.length - 1] ?? globalDefaultGraph;
}

/** Replaces the global default graph with a new empty one. */
export function resetDefaultGraph(): Graph {
  if (defaultGraphStack.length > 0) {
    throw new FailedPreconditionError(
      'Do not use resetDefaultGraph() inside graph.asDefault(): the nested default graph would be left in an inconsistent state.',
    );
  }
  globalDefaultGraph = new Graph();
  return globalDefaultGraph;
}
