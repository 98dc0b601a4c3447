import type { DType } from '../dtype.js';
import { Operation, type OutputSpec } from '../graph/operation.js';
import type { Tensor } from '../graph/tensor.js';

/*
 * Plan-time fusion, like TF's Grappler remapper: chains of ops in a plan's order are replaced by
 * one op whose kernel does the chain's work in one pass. The graph itself never changes; a fused
 * op exists only in the plan. A chain is fused only when its hidden intermediates are read by
 * nothing else in the plan (shape-only readers such as SumToShape's target are pointed at the
 * fused output, which has the same shape), are not fetched, and order nothing through control
 * edges, so every fetched or fed tensor keeps its meaning and results change at most by float
 * rounding (the fused kernels add the bias to the same float32 products).
 *
 *   MatMul + BiasAdd|Add(bias) [+ Relu]   -> _FusedMatMul (bias and relu inside the GEMM's store)
 *   Conv2D + BiasAdd|Add(bias) [+ Relu]   -> _FusedConv2D
 *   MaxPool ... MaxPoolGrad               -> MaxPoolWithArgmax ... MaxPoolGradWithArgmax (the
 *                                            forward pass keeps each window's argmax)
 *   MaxPoolGrad + ReluGrad (of its input) -> MaxPoolGradWithArgmax with the relu mask
 */

/** One rewrite, as session.deviceInfo() reports it. */
export interface Fusion {
  /** The op type that runs instead. */
  type: string;
  /** Names of the graph ops it stands for, in order. */
  ops: string[];
}

/** A plan order after fusion. @internal */
export interface RemappedOrder {
  order: Operation[];
  /** Tensors of the original order whose value a fused op's output holds. */
  alias: Map<Tensor, Tensor>;
  fusions: Fusion[];
}

/** Inputs that only pass their shape along (input index per op type). */
const SHAPE_ONLY: Readonly<Record<string, number>> = {
  SumToShape: 1,
  FillLike: 0,
  ZerosLike: 0,
  OnesLike: 0,
  Shape: 0,
  Size: 0,
};

interface Reader {
  op: Operation;
  index: number;
}

/**
 * Fuses what it can in `order`. `fetched` tensors are never hidden; ops in `pinned` (those whose
 * inputs the variable-read plan redirects) are never fused.
 * @internal
 */
export function remap(
  order: readonly Operation[],
  fetched: ReadonlySet<Tensor>,
  pinned: ReadonlySet<Operation>,
): RemappedOrder {
  const readers = new Map<Tensor, Reader[]>();
  const controlled = new Set<Operation>();
  const position = new Map<Operation, number>();
  order.forEach((op, i) => {
    position.set(op, i);
    op.inputs.forEach((input, index) => {
      let list = readers.get(input);
      if (!list) readers.set(input, (list = []));
      list.push({ op, index });
    });
    for (const control of op.controlInputs) controlled.add(control);
  });
  const replaced = new Map<Operation, Operation | null>();
  const alias = new Map<Tensor, Tensor>();
  const fusions: Fusion[] = [];

  /** The one op that reads `t` for its value (others may read its shape), if `t` can be hidden. */
  const soleReader = (t: Tensor): Reader | undefined => {
    if (fetched.has(t) || controlled.has(t.op)) return undefined;
    let sole: Reader | undefined;
    for (const reader of readers.get(t) ?? []) {
      if (SHAPE_ONLY[reader.op.type] === reader.index) continue;
      if (sole !== undefined) return undefined;
      sole = reader;
    }
    return sole !== undefined && !pinned.has(sole.op) && !replaced.has(sole.op) ? sole : undefined;
  };
  /** Shape-only readers of the chain's hidden tensors must run after the fused op (which stands last). */
  const shapeReadersFollow = (chain: Operation[]): boolean => {
    const end = position.get(chain[chain.length - 1]!)!;
    for (const op of chain.slice(0, -1)) {
      for (const t of op.outputs)
        for (const reader of readers.get(t) ?? [])
          if (position.get(reader.op)! < end && !chain.includes(reader.op)) return false;
    }
    return true;
  };
  const replace = (chain: Operation[], fused: Operation, fusedOutputOf: (t: Tensor) => Tensor | undefined): void => {
    for (const op of chain) {
      replaced.set(op, op === chain[chain.length - 1] ? fused : null);
      for (const t of op.outputs) {
        const target = fusedOutputOf(t);
        if (target) alias.set(t, target);
      }
    }
    fusions.push({ type: fused.type, ops: chain.map((op) => op.name) });
  };

  for (const op of order) {
    if ((op.type === 'MatMul' || op.type === 'Conv2D') && !pinned.has(op) && !replaced.has(op)) fuseBiasChain(op);
  }
  for (const op of order) if (op.type === 'MaxPoolGrad' && !pinned.has(op) && !replaced.has(op)) fuseMaxPoolGrad(op);

  function fuseBiasChain(producer: Operation): void {
    const product = producer.output;
    if (product.dtype !== 'float32' || (producer.type === 'MatMul' && product.shape?.length !== 2)) return;
    const add = soleReader(product);
    if (add === undefined || (add.index !== 0 && add.op.type === 'BiasAdd')) return;
    const bias = biasOperand(add, product);
    if (bias === undefined) return;
    const chain = [producer, add.op];
    const relu = soleReader(add.op.output);
    if (relu !== undefined && relu.op.type === 'Relu') chain.push(relu.op);
    if (!shapeReadersFollow(chain)) chain.pop();
    if (!shapeReadersFollow(chain)) return;
    const last = chain[chain.length - 1]!;
    const type = producer.type === 'MatMul' ? '_FusedMatMul' : '_FusedConv2D';
    const attrs = { ...producer.attrs, relu: chain.length === 3 };
    const fused = syntheticOp(producer, type, [producer.inputs[0]!, producer.inputs[1]!, bias], attrs, [
      { dtype: 'float32', shape: last.output.shape },
    ]);
    replace(chain, fused, () => fused.output);
  }

  function fuseMaxPoolGrad(grad: Operation): void {
    const [x, dy] = grad.inputs as [Tensor, Tensor];
    const pool = (readers.get(x) ?? [])
      .map((r) => r.op)
      .find(
        (op) =>
          op.type === 'MaxPool' &&
          op.inputs[0] === x &&
          sameWindow(op, grad) &&
          position.get(op)! < position.get(grad)!,
      );
    if (pool === undefined || pinned.has(pool)) return;
    let forward = replaced.get(pool);
    if (forward === undefined) {
      forward = syntheticOp(pool, 'MaxPoolWithArgmax', [x], pool.attrs, [
        { dtype: x.dtype, shape: pool.output.shape },
        { dtype: 'int32', shape: pool.output.shape },
      ]);
      const withArgmax = forward;
      replace([pool], withArgmax, () => withArgmax.outputs[0]);
    }
    if (forward === null) return;
    const argmax = forward.outputs[1]!;
    // ReluGrad(grad, x) where x is the relu's output: only argmax positions can be non-zero.
    const mask = soleReader(grad.output);
    const withMask = mask !== undefined && mask.op.type === 'ReluGrad' && mask.index === 0 && mask.op.inputs[1] === x;
    const chain = withMask ? [grad, mask!.op] : [grad];
    if (!shapeReadersFollow(chain)) chain.pop();
    const fusedGrad = syntheticOp(
      grad,
      'MaxPoolGradWithArgmax',
      [dy, argmax, x],
      { ...grad.attrs, reluMask: chain.length === 2 },
      [{ dtype: 'float32', shape: chain[chain.length - 1]!.output.shape }],
    );
    replace(chain, fusedGrad, () => fusedGrad.output);
  }

  const remapped: Operation[] = [];
  for (const op of order) {
    const substitute = replaced.get(op);
    if (substitute === undefined) remapped.push(op);
    else if (substitute !== null) remapped.push(substitute);
  }
  return { order: remapped, alias, fusions };
}

/** The bias of an `Add`/`BiasAdd` reading `product` at `reader.index`: a rank-1 float32 tensor as long as product's last dim. */
function biasOperand(reader: Reader, product: Tensor): Tensor | undefined {
  const op = reader.op;
  if (op.type === 'BiasAdd') return op.inputs[1];
  if (op.type !== 'Add') return undefined;
  const other = op.inputs[1 - reader.index]!;
  const last = product.shape === null ? null : product.shape[product.shape.length - 1];
  if (
    other.dtype !== 'float32' ||
    other.shape?.length !== 1 ||
    last === null ||
    last === undefined ||
    other.shape[0] !== last
  )
    return undefined;
  // The sum must have the product's shape (true once the bias broadcasts along the last dim).
  return other === product ? undefined : other;
}

function sameWindow(a: Operation, b: Operation): boolean {
  return ['ksize', 'strides', 'padding'].every((key) => JSON.stringify(a.attrs[key]) === JSON.stringify(b.attrs[key]));
}

/** An op that exists only in a plan (never added to the graph); errors name it after `like`. */
function syntheticOp(
  like: Operation,
  type: string,
  inputs: Tensor[],
  attrs: Operation['attrs'],
  outputs: { dtype: DType; shape: OutputSpec['shape'] }[],
): Operation {
  return new Operation(like.graph, -1, like.name, type, inputs, [], attrs, outputs);
}
