import type { DType } from '../dtype.js';
import { formatShape, type StaticShape } from '../ndarray/shape.js';
import type { Graph } from './graph.js';
import type { Operation } from './operation.js';

/**
 * A symbolic handle to output `index` of an operation. It holds no values: run it in a
 * Session to get an NDArray.
 */
export class Tensor {
  readonly op: Operation;
  readonly index: number;
  readonly dtype: DType;
  /** Static shape; `null` entries are unknown dims, `null` is unknown rank. */
  readonly shape: StaticShape;

  /** @internal Tensors are created by Graph when an operation is added. */
  constructor(op: Operation, index: number, dtype: DType, shape: StaticShape) {
    this.op = op;
    this.index = index;
    this.dtype = dtype;
    this.shape = shape === null ? null : (Object.freeze(shape.slice()) as (number | null)[]);
  }

  /** `'op:index'` */
  get name(): string {
    return `${this.op.name}:${this.index}`;
  }

  get graph(): Graph {
    return this.op.graph;
  }

  /** Rank if known, else null. */
  get rank(): number | null {
    return this.shape === null ? null : this.shape.length;
  }

  toString(): string {
    return `Tensor("${this.name}", shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }

  /** What `console.log` and `util.inspect` print: `toString()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Objects (like Variable) that stand for a tensor wherever a TensorLike is accepted. */
export const AS_TENSOR: unique symbol = Symbol.for('tsflow.asTensor');

export interface TensorConvertible {
  [AS_TENSOR](): Tensor;
}

export function isTensorConvertible(value: unknown): value is TensorConvertible {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<TensorConvertible>)[AS_TENSOR] === 'function'
  );
}
