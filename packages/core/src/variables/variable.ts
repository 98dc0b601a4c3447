import type { DType } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { getDefaultGraph, type Graph } from '../graph/graph.js';
import type { Operation } from '../graph/operation.js';
import { AS_TENSOR, type Tensor, type TensorConvertible } from '../graph/tensor.js';
import { formatShape, isCompatibleShape, isFullyDefined } from '../ndarray/shape.js';
import { registerCollectionCodec } from '../graph/serialization.js';
import { resolveGraph, toTensor, type OpOptions, type TensorLike } from '../ops/op_builder.js';
import { opOptions } from '../ops/op_options.js';
import { IS_VARIABLE, type VariableRef } from '../ops/variable_ref.js';

export const GLOBAL_VARIABLES = 'variables';
export const TRAINABLE_VARIABLES = 'trainable_variables';

export interface VariableOptions {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
}

/**
 * A mutable tensor whose value lives in each Session. Usable wherever a TensorLike is.
 *
 * @example
 * const w = new Variable(randomNormal([3, 1], { seed: 1 }), { name: 'w' });
 * await sess.run(w.initializer);
 * await sess.run(w.assign([[1], [2], [3]]));
 */
export class Variable implements TensorConvertible, VariableRef {
  /** The `VariableV2` op; its output reads the current value. */
  readonly op: Operation;
  readonly initializer: Operation;
  readonly initialValue: Tensor;
  readonly trainable: boolean;

  constructor(initialValue: TensorLike, given: VariableOptions = {}) {
    const options = opOptions<VariableOptions>(given, 'Variable');
    const graph = resolveGraph([initialValue]);
    const requested = options.name ?? 'Variable';
    const varName = graph.uniqueName(requested);
    this.trainable = options.trainable ?? true;
    const init = graph.withScope(varName, () =>
      toTensor(initialValue, graph, options.dtype, `Variable '${varName}' initial value`),
    );
    if (options.dtype !== undefined && init.dtype !== options.dtype) {
      throw new InvalidArgumentError(
        `Variable '${varName}': initial value has dtype ${init.dtype} but dtype ${options.dtype} was requested`,
      );
    }
    if (!isFullyDefined(init.shape)) {
      throw new InvalidArgumentError(
        `Variable '${varName}': initial value must have a fully defined shape, got ${formatShape(init.shape)}`,
      );
    }
    const shape = init.shape.slice();
    this.initialValue = init;
    // The name was reserved above so that the init ops could live under `varName/`.
    this.op = addVariableOp(graph, varName, init.dtype, shape);
    this.initializer = graph.withScope(varName, () => assignOp(graph, 'Assign', this.op, init, 'Assign'));
    graph.addToCollection(GLOBAL_VARIABLES, this);
    if (this.trainable) graph.addToCollection(TRAINABLE_VARIABLES, this);
  }

  /** @internal Rebuilds a Variable object over existing ops (Graph.fromJSON). */
  static fromOps(op: Operation, initializer: Operation, initialValue: Tensor, trainable: boolean): Variable {
    const v = Object.create(Variable.prototype) as { -readonly [K in keyof Variable]: Variable[K] };
    v.op = op;
    v.initializer = initializer;
    v.initialValue = initialValue;
    v.trainable = trainable;
    return v as Variable;
  }

  /** Lets ops below this layer recognise a Variable (see ops/variable_ref.ts). @internal */
  get [IS_VARIABLE](): true {
    return true;
  }

  get name(): string {
    return this.op.name;
  }

  get graph(): Graph {
    return this.op.graph;
  }

  get dtype(): DType {
    return this.op.output.dtype;
  }

  get shape(): number[] {
    return this.op.output.shape as number[];
  }

  /** The tensor that reads the variable's current value. */
  value(): Tensor {
    return this.op.output;
  }

  [AS_TENSOR](): Tensor {
    return this.op.output;
  }

  /** Sets the value; the returned tensor's value is the new value. */
  assign(value: TensorLike, options: OpOptions = {}): Tensor {
    return this.update('Assign', value, options);
  }

  /** Adds to the value; the returned tensor's value is the new value. */
  assignAdd(delta: TensorLike, options: OpOptions = {}): Tensor {
    return this.update('AssignAdd', delta, options);
  }

  /** Subtracts from the value; the returned tensor's value is the new value. */
  assignSub(delta: TensorLike, options: OpOptions = {}): Tensor {
    return this.update('AssignSub', delta, options);
  }

  private update(type: 'Assign' | 'AssignAdd' | 'AssignSub', value: TensorLike, options: OpOptions): Tensor {
    const graph = this.graph;
    const tensor = toTensor(value, graph, this.dtype, `${type} to '${this.name}'`);
    return assignOp(graph, type, this.op, tensor, opOptions<OpOptions>(options, type).name ?? type).output;
  }

  toString(): string {
    return `Variable("${this.name}", shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }

  /** What `console.log` and `util.inspect` print: `toString()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function addVariableOp(graph: Graph, name: string, dtype: DType, shape: number[]): Operation {
  // The name is already reserved by uniqueName; add the op under exactly that name.
  return graph.addOperation({
    type: 'VariableV2',
    name,
    exactName: true,
    attrs: { dtype, shape },
    outputs: [{ dtype, shape }],
  });
}

function assignOp(
  graph: Graph,
  type: 'Assign' | 'AssignAdd' | 'AssignSub',
  variableOp: Operation,
  value: Tensor,
  name: string,
): Operation {
  const varTensor = variableOp.output;
  if (value.dtype !== varTensor.dtype) {
    throw new InvalidArgumentError(
      `${type} to '${variableOp.name}': value has dtype ${value.dtype} but the variable has dtype ${varTensor.dtype}`,
    );
  }
  return graph.addOperation({
    type,
    name,
    inputs: [value],
    attrs: { variable: variableOp.name },
    outputs: (opName) => {
      if (!isCompatibleShape(varTensor.shape as number[], value.shape)) {
        throw new InvalidArgumentError(
          `Shapes must be equal rank and compatible for '${opName}' (op: '${type}') with input shapes: ${formatShape(varTensor.shape)}, ${formatShape(value.shape)}.`,
        );
      }
      return [{ dtype: varTensor.dtype, shape: varTensor.shape }];
    },
  });
}

/** All variables of the default graph (or `graph`). */
export function globalVariables(graph: Graph = getDefaultGraph()): Variable[] {
  return [...graph.getCollection<Variable>(GLOBAL_VARIABLES)];
}

/** Variables created with `trainable: true` (the default). */
export function trainableVariables(graph: Graph = getDefaultGraph()): Variable[] {
  return [...graph.getCollection<Variable>(TRAINABLE_VARIABLES)];
}

interface VariableJSON {
  name: string;
  initializer: string;
  initialValue: string;
  trainable: boolean;
}

function decodeVariable(json: unknown, graph: Graph): Variable {
  const v = json as VariableJSON;
  if (
    v === null ||
    typeof v !== 'object' ||
    ![v.name, v.initializer, v.initialValue].every((field) => typeof field === 'string') ||
    typeof v.trainable !== 'boolean'
  ) {
    throw new InvalidArgumentError(
      `Graph.fromJSON: a variables collection entry must be { name, initializer, initialValue, trainable }, got ${JSON.stringify(json)?.slice(0, 200)}`,
    );
  }
  const existing = graph.getCollection<Variable>(GLOBAL_VARIABLES).find((item) => item.name === v.name);
  if (existing) return existing;
  return Variable.fromOps(
    graph.getOperation(v.name),
    graph.getOperation(v.initializer),
    graph.getTensor(v.initialValue),
    v.trainable,
  );
}

const variableCodec = {
  encode: (item: unknown): VariableJSON => {
    const v = item as Variable;
    return { name: v.name, initializer: v.initializer.name, initialValue: v.initialValue.name, trainable: v.trainable };
  },
  decode: decodeVariable,
};
registerCollectionCodec(GLOBAL_VARIABLES, variableCodec);
registerCollectionCodec(TRAINABLE_VARIABLES, variableCodec);
