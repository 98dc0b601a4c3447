import type { OpAttrs, OpType } from '../graph/op_types.js';
import type { DType } from '../dtype.js';
import { opOptions } from './op_options.js';
import { InvalidArgumentError } from '../errors.js';
import { getDefaultGraph, type Graph, graphMismatchError } from '../graph/graph.js';
import type { Attrs, Operation, OutputSpec } from '../graph/operation.js';
import { isTensorConvertible, Tensor, AS_TENSOR } from '../graph/tensor.js';
import { NDArray, ndarray, type NestedArray } from '../ndarray/ndarray.js';
import { formatShape } from '../ndarray/shape.js';
import { constantInGraph } from './constant_node.js';

/** Anything an op accepts as an input: symbolic tensors, variables, or values that become constants. */
export type TensorLike = Tensor | NDArray | NestedArray | { [AS_TENSOR](): Tensor };

/** The optional last argument of every op function. */
export interface OpOptions {
  name?: string;
}

/** The graph the inputs live on (all must agree), or the default graph if none is symbolic. */
export function resolveGraph(values: readonly unknown[]): Graph {
  let graph: Graph | undefined;
  let first: Tensor | undefined;
  for (const value of values) {
    const tensor = value instanceof Tensor ? value : isTensorConvertible(value) ? value[AS_TENSOR]() : undefined;
    if (!tensor) continue;
    if (!graph) {
      graph = tensor.graph;
      first = tensor;
    } else if (tensor.graph !== graph) {
      throw new InvalidArgumentError(
        `Tensor("${tensor.name}") must be from the same graph as Tensor("${first!.name}").`,
      );
    }
  }
  return graph ?? getDefaultGraph();
}

/**
 * Turns a TensorLike into a Tensor of `graph`. Plain values become constants with `dtypeHint`
 * (else float32 for numbers, bool for booleans, the typed array's own dtype).
 */
export function toTensor(value: TensorLike, graph: Graph, dtypeHint?: DType, what = 'input'): Tensor {
  if (value instanceof Tensor) {
    if (value.graph !== graph) throw graphMismatchError(value, graph);
    return value;
  }
  if (isTensorConvertible(value)) return toTensor(value[AS_TENSOR](), graph, dtypeHint, what);
  if (
    value === undefined ||
    value === null ||
    (typeof value === 'object' && !(value instanceof NDArray) && !Array.isArray(value) && !ArrayBuffer.isView(value))
  ) {
    throw new InvalidArgumentError(
      `${what}: expected a Tensor, Variable, NDArray, number, boolean or nested array, got ${value === null ? 'null' : typeof value}`,
    );
  }
  if (dtypeHint === 'int32' && !(value instanceof NDArray)) assertIntegral(value, what);
  const array = value instanceof NDArray ? value : ndarray(value as NestedArray, dtypeHint ? { dtype: dtypeHint } : {});
  return constantInGraph(graph, array);
}

/** A plain value converted for an int32 operand must not lose its fraction silently. */
function assertIntegral(value: unknown, what: string): void {
  const flat = Array.isArray(value)
    ? (value as unknown[]).flat(Infinity)
    : ArrayBuffer.isView(value)
      ? Array.from(value as unknown as ArrayLike<number>)
      : [value];
  for (const v of flat) {
    if (typeof v === 'number' && !Number.isInteger(v)) {
      throw new InvalidArgumentError(
        `${what}: ${v} cannot be converted to int32 without losing its fraction; cast the int32 operand to float32 instead`,
      );
    }
  }
}

interface BuildOpBase {
  inputs: readonly TensorLike[];
  options?: OpOptions | undefined;
  /**
   * dtype for plain-value inputs: 'first-tensor' (default) uses the dtype of the first symbolic
   * input, so `add(intTensor, 2)` stays int32; or a fixed dtype.
   */
  dtypeHint?: DType | 'first-tensor' | 'none';
  infer: (inputs: Tensor[], opName: string) => readonly OutputSpec[];
}

/**
 * What `buildOp` takes for op type `T`: `attrs` must be T's (graph/op_types.ts) and is required
 * when T has any, so a misspelled op type or a missing attr does not compile. Helpers that build
 * several op types (`type: OpType`) pass plain `Attrs`.
 */
export type BuildOpArgs<T extends OpType = OpType> = BuildOpBase & { type: T } & ([OpType] extends [T]
    ? { attrs?: Attrs }
    : Record<string, never> extends OpAttrs[T]
      ? { attrs?: OpAttrs[T] }
      : { attrs: OpAttrs[T] });

/** Converts inputs, infers outputs and adds the op. Returns the Operation. */
export function buildOp<T extends OpType>(args: BuildOpArgs<T>): Operation {
  const options = opOptions<OpOptions>(args.options, args.type);
  const graph = resolveGraph(args.inputs);
  let hint: DType | undefined;
  if (args.dtypeHint === undefined || args.dtypeHint === 'first-tensor') {
    for (const v of args.inputs) {
      if (v instanceof Tensor) {
        hint = v.dtype;
        break;
      }
      if (isTensorConvertible(v)) {
        hint = v[AS_TENSOR]().dtype;
        break;
      }
    }
  } else if (args.dtypeHint !== 'none') {
    hint = args.dtypeHint;
  }
  const tensors = args.inputs.map((v, i) => toTensor(v, graph, hint, `${options.name ?? args.type} input ${i}`));
  return graph.addOperation({
    type: args.type,
    name: options.name,
    inputs: tensors,
    attrs: ((args as { attrs?: unknown }).attrs ?? {}) as Attrs,
    outputs: (opName) => args.infer(tensors, opName),
  });
}

/** Builds a single-output op and returns its tensor. */
export function buildOp1<T extends OpType>(args: BuildOpArgs<T>): Tensor {
  return buildOp(args).output;
}

/** `${message} for 'name' (op: 'Type') with input shapes: [2], [3].` — TF's build-time error format. */
export function shapeError(
  message: string,
  opName: string,
  opType: string,
  inputs: readonly Tensor[],
): InvalidArgumentError {
  const shapes = inputs.map((t) => formatShape(t.shape)).join(', ');
  return new InvalidArgumentError(`${message} for '${opName}' (op: '${opType}') with input shapes: ${shapes}.`);
}

/** A dtype mismatch between inputs, named like TF's. */
export function dtypeError(opName: string, opType: string, inputs: readonly Tensor[]): InvalidArgumentError {
  const types = inputs.map((t) => t.dtype).join(', ');
  return new InvalidArgumentError(
    `Input dtypes must match for '${opName}' (op: '${opType}'), got ${types} (inputs: ${inputs.map((t) => t.name).join(', ')}).`,
  );
}

export function requireSameDTypes(inputs: readonly Tensor[], opName: string, opType: string): DType {
  const dtype = inputs[0]!.dtype;
  for (const t of inputs) if (t.dtype !== dtype) throw dtypeError(opName, opType, inputs);
  return dtype;
}

export function requireDTypes(t: Tensor, allowed: readonly DType[], opName: string, opType: string): void {
  if (!allowed.includes(t.dtype)) {
    throw new InvalidArgumentError(
      `Value for '${opName}' (op: '${opType}') has dtype ${t.dtype}, not in the allowed list: ${allowed.join(', ')} (input ${t.name}).`,
    );
  }
}
