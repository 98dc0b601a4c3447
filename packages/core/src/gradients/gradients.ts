import './register_all_gradients.js';
import { isFloatDType } from '../dtype.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import type { Operation } from '../graph/operation.js';
import { nameScope } from '../graph/scopes.js';
import { AS_TENSOR, isTensorConvertible, Tensor } from '../graph/tensor.js';
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape, isFullyDefined, type StaticShape } from '../ndarray/shape.js';
import { constant } from '../ops/constant.js';
import { toTensor, type TensorLike } from '../ops/op_builder.js';
import { getGradient } from './gradient_registry.js';
import { fillLike } from '../ops/grad_support_ops.js';
import { sumGradients } from './indexed_slices.js';

export interface GradientsOptions {
  /** dL/dy for each y (default: ones of y's shape). One entry per y; null/undefined means ones. */
  gradYs?: readonly (TensorLike | null | undefined)[] | TensorLike;
  /** Tensors (or Variables) treated as constants: no gradient flows through them. */
  stopGradients?: readonly (Tensor | TensorLike)[];
  /** What an x that doesn't reach any y gets: `null` ('none', the default) or zeros ('zero'). */
  unconnected?: 'none' | 'zero';
  /** Name scope of the gradient ops (default 'gradients'). */
  name?: string;
}

/**
 * Builds the symbolic gradient of sum(ys) with respect to each of `xs`, like `tf.gradients`.
 * Contributions of a tensor used several times are summed; integer and bool tensors get none.
 * The gradient of `gather` params is a dense Tensor that also carries a sparse form
 * (`indexedSlicesOf`), which optimizers apply to the looked-up rows only, as TF1 does.
 *
 * @example
 * const [dw, db] = gradients(loss, [w, b]);
 */
export function gradients(
  ys: Tensor | TensorLike | readonly (Tensor | TensorLike)[],
  xs: readonly (Tensor | TensorLike)[],
  options: GradientsOptions | null = {},
): (Tensor | null)[] {
  if (options === null) options = {};
  if (typeof options !== 'object')
    throw new InvalidArgumentError(`gradients: options must be an object, got ${typeof options}`);
  const yList = (Array.isArray(ys) ? ys : [ys]).map((y, i) => asSymbolic(y, `ys[${i}]`));
  if (!Array.isArray(xs)) throw new InvalidArgumentError('gradients: xs must be an array of Tensors or Variables');
  const xList = xs.map((x, i) => asSymbolic(x, `xs[${i}]`));
  const stopGradients = options.stopGradients ?? [];
  if (!Array.isArray(stopGradients))
    throw new InvalidArgumentError('gradients: stopGradients must be an array of Tensors or Variables');
  const stopList = stopGradients.map((t, i) => asSymbolic(t, `stopGradients[${i}]`));
  if (yList.length === 0) throw new InvalidArgumentError('gradients: ys must hold at least one Tensor');
  const graph = yList[0]!.graph;
  for (const t of [...yList, ...xList, ...stopList]) {
    if (t.graph !== graph) {
      throw new InvalidArgumentError(
        `gradients: Tensor("${t.name}") must be from the same graph as Tensor("${yList[0]!.name}").`,
      );
    }
  }
  const unconnected = options.unconnected ?? 'none';
  if (unconnected !== 'none' && unconnected !== 'zero') {
    throw new InvalidArgumentError(
      `gradients: unconnected must be 'none' or 'zero', got ${JSON.stringify(unconnected)}`,
    );
  }
  const gradYs = normalizeGradYs(options.gradYs, yList.length);
  return graph.asDefault(() =>
    nameScope(options.name ?? 'gradients', () => {
      const stop = new Set(stopList);
      const xSet = new Set(xList);
      const pending = new Map<Tensor, Tensor[]>();
      yList.forEach((y, i) => {
        addContribution(pending, y, seedGradient(y, gradYs[i], graph, i));
      });
      for (const op of opsBetween(yList, xSet, stop)) backpropagate(op, pending, stop);
      return xList.map((x) => {
        const total = sumContributions(pending, x);
        if (total !== null) return total;
        if (unconnected === 'none') return null;
        // A known shape needs no run-time read of x (an unconnected Variable may be uninitialized).
        if (isFullyDefined(x.shape)) return constant(0, { dtype: x.dtype, shape: x.shape, name: 'zeros' });
        return fillLike(x, 0, x.dtype, { name: 'zeros_like' });
      });
    }),
  );
}

function asSymbolic(value: unknown, what: string): Tensor {
  if (value instanceof Tensor) return value;
  if (isTensorConvertible(value)) return value[AS_TENSOR]();
  throw new InvalidArgumentError(
    `gradients: ${what} must be a Tensor or Variable, got ${value === null ? 'null' : typeof value}`,
  );
}

function normalizeGradYs(gradYs: GradientsOptions['gradYs'], count: number): (TensorLike | null | undefined)[] {
  if (gradYs === undefined || gradYs === null) return new Array(count).fill(undefined);
  if (Array.isArray(gradYs) && gradYs.length === count) {
    const isList =
      count > 1 ||
      gradYs.every(
        (g) => g === null || g === undefined || g instanceof Tensor || g instanceof NDArray || isTensorConvertible(g),
      );
    if (isList) return gradYs as (TensorLike | null | undefined)[];
  }
  // A single y: gradYs is its gradient (a tensor or a nested array value).
  if (count === 1) return [gradYs as TensorLike];
  throw new InvalidArgumentError(
    `gradients: gradYs must have one entry per y (${count}), got ${Array.isArray(gradYs) ? gradYs.length : typeof gradYs}`,
  );
}

function seedGradient(y: Tensor, gradY: TensorLike | null | undefined, graph: Graph, index: number): Tensor {
  if (gradY === undefined || gradY === null) return fillLike(y, 1, y.dtype, { name: `grad_ys_${index}` });
  const g = toTensor(gradY, graph, y.dtype, `gradients: gradYs[${index}]`);
  if (g.dtype !== y.dtype) {
    throw new InvalidArgumentError(
      `gradients: gradYs[${index}] has dtype ${g.dtype} but ys[${index}] ('${y.name}') has dtype ${y.dtype}`,
    );
  }
  if (!shapesMayMatch(g.shape, y.shape)) {
    throw new InvalidArgumentError(
      `gradients: gradYs[${index}] has shape ${formatShape(g.shape)} but ys[${index}] ('${y.name}') has shape ${formatShape(y.shape)}`,
    );
  }
  return g;
}

function shapesMayMatch(a: StaticShape, b: StaticShape): boolean {
  if (a === null || b === null) return true;
  return a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
}

/** Only float tensors carry gradients (TF gives none to integer and bool values). */
function differentiable(t: Tensor): boolean {
  return isFloatDType(t.dtype);
}

/**
 * Ops on a path from some x to some y, in reverse creation order (a valid reverse topological
 * order: an op's inputs always exist before it). Stop-gradient tensors cut the paths.
 */
function opsBetween(ys: readonly Tensor[], xs: ReadonlySet<Tensor>, stop: ReadonlySet<Tensor>): Operation[] {
  const ancestors = new Set<Operation>();
  const stack: Operation[] = ys.map((y) => y.op);
  while (stack.length > 0) {
    const op = stack.pop()!;
    if (ancestors.has(op)) continue;
    ancestors.add(op);
    for (const input of op.inputs) if (!ancestors.has(input.op)) stack.push(input.op);
  }
  const reached = new Set<Tensor>();
  for (const x of xs) if (differentiable(x)) reached.add(x);
  const between: Operation[] = [];
  const ordered = [...ancestors].sort((a, b) => a.id - b.id);
  for (const op of ordered) {
    if (!op.inputs.some((t) => reached.has(t))) continue;
    between.push(op);
    for (const out of op.outputs) if (differentiable(out) && !stop.has(out)) reached.add(out);
  }
  return between.reverse();
}

function addContribution(pending: Map<Tensor, Tensor[]>, tensor: Tensor, grad: Tensor): void {
  const list = pending.get(tensor);
  if (list) list.push(grad);
  else pending.set(tensor, [grad]);
}

/** The summed gradient of `tensor` so far (cached, so later readers share the same AddN; sparse if every part is). */
function sumContributions(pending: Map<Tensor, Tensor[]>, tensor: Tensor): Tensor | null {
  const list = pending.get(tensor);
  if (!list || list.length === 0) return null;
  if (list.length === 1) return list[0]!;
  const total = sumGradients(list);
  pending.set(tensor, [total]);
  return total;
}

function backpropagate(op: Operation, pending: Map<Tensor, Tensor[]>, stop: ReadonlySet<Tensor>): void {
  const outputGrads = op.outputs.map((t) => (stop.has(t) ? null : sumContributions(pending, t)));
  if (outputGrads.every((g) => g === null)) return;
  const fn = getGradient(op.type);
  if (fn === undefined) throw new NotFoundError(`No gradient defined for operation '${op.name}' (op type: ${op.type})`);
  if (fn === null) return;
  const inputGrads = nameScope(`${op.name}_grad`, () => fn(op, outputGrads));
  if (inputGrads.length !== op.inputs.length) {
    throw new InvalidArgumentError(
      `Gradient of '${op.name}' (op type: ${op.type}) returned ${inputGrads.length} gradients for ${op.inputs.length} inputs`,
    );
  }
  inputGrads.forEach((grad, i) => {
    const input = op.inputs[i]!;
    if (grad === null || !differentiable(input)) return;
    if (grad.dtype !== input.dtype || !shapesMayMatch(grad.shape, input.shape)) {
      throw new InvalidArgumentError(
        `Gradient of '${op.name}' (op type: ${op.type}) for input ${i} ('${input.name}') is ${grad.dtype}${formatShape(grad.shape)}, expected ${input.dtype}${formatShape(input.shape)}`,
      );
    }
    addContribution(pending, input, grad);
  });
}
