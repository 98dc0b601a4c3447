import type { DType } from '../dtype.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { StaticShape } from '../ndarray/shape.js';
import type { Graph } from './graph.js';
import { Tensor } from './tensor.js';

/** JSON-friendly attribute values; NDArray is allowed for constants and serialised specially. */
export type AttrValue = number | string | boolean | null | NDArray | AttrValue[] | { [key: string]: AttrValue };
export type Attrs = Readonly<Record<string, AttrValue>>;

export interface OutputSpec {
  dtype: DType;
  shape: StaticShape;
}

/** A node of the graph: an op type, inputs, attributes and outputs. */
export class Operation {
  readonly graph: Graph;
  readonly name: string;
  readonly type: string;
  readonly inputs: readonly Tensor[];
  readonly controlInputs: readonly Operation[];
  readonly attrs: Attrs;
  readonly outputs: readonly Tensor[];
  /** Creation index in the graph (a stable tie-break for scheduling). @internal */
  readonly id: number;

  /** @internal Use the op functions (or Graph.addOperation) to create operations. */
  constructor(
    graph: Graph,
    id: number,
    name: string,
    type: string,
    inputs: readonly Tensor[],
    controlInputs: readonly Operation[],
    attrs: Attrs,
    outputs: readonly OutputSpec[],
  ) {
    this.graph = graph;
    this.id = id;
    this.name = name;
    this.type = type;
    this.inputs = Object.freeze(inputs.slice());
    this.controlInputs = Object.freeze(controlInputs.slice());
    this.attrs = Object.freeze({ ...attrs });
    this.outputs = Object.freeze(outputs.map((spec, index) => new Tensor(this, index, spec.dtype, spec.shape)));
  }

  /** Output 0; throws when the op has no outputs. */
  get output(): Tensor {
    const out = this.outputs[0];
    if (!out) throw new Error(`Operation '${this.name}' (op: '${this.type}') has no outputs`);
    return out;
  }

  toString(): string {
    return `Operation("${this.name}", type=${this.type})`;
  }

  /** What `console.log` and `util.inspect` print: `toString()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
