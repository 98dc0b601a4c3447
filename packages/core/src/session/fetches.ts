import { InvalidArgumentError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import { Operation } from '../graph/operation.js';
import { AS_TENSOR, isTensorConvertible, Tensor, type TensorConvertible } from '../graph/tensor.js';
import type { NDArray } from '../ndarray/ndarray.js';

/** A single fetch: a tensor, variable, operation or a name (`'op:0'` tensor, `'op'` operation). */
export type FetchLeaf = Tensor | Operation | string | { [AS_TENSOR](): Tensor };
/** Fetches may be nested arrays / plain objects of leaves. */
export type Fetches = FetchLeaf | readonly unknown[] | { readonly [key: string]: unknown };

/** Mirrors the structure of `F`: tensors become NDArray, operations null. */
export type FetchResult<F> = F extends Operation
  ? null
  : F extends Tensor | TensorConvertible
    ? NDArray
    : F extends string
      ? NDArray | null
      : F extends readonly unknown[]
        ? { -readonly [K in keyof F]: FetchResult<F[K]> }
        : { -readonly [K in keyof F]: FetchResult<F[K]> };

export type FetchTarget = Tensor | Operation;

export interface FlatFetches {
  targets: FetchTarget[];
  rebuild(values: readonly (NDArray | null)[]): unknown;
}

/** Flattens a fetch structure into targets plus a function that rebuilds the structure. */
export function flattenFetches(fetches: Fetches, graph: Graph): FlatFetches {
  // One tensor or operation (the common case) needs no template.
  if ((fetches instanceof Tensor || fetches instanceof Operation) && fetches.graph === graph) {
    return { targets: [fetches], rebuild: firstValue };
  }
  const targets: FetchTarget[] = [];
  const template = walk(fetches, graph, targets, []);
  return {
    targets,
    rebuild: (values) => fill(template, values),
  };
}

function firstValue(values: readonly (NDArray | null)[]): NDArray | null {
  return values[0]!;
}

type Template = number | Template[] | { [key: string]: Template };
/** Keys from the root to the current node; turned into text only for an error message. */
type FetchPath = (string | number)[];

function walk(node: unknown, graph: Graph, targets: FetchTarget[], path: FetchPath): Template {
  const leaf = toTarget(node, graph, path);
  if (leaf) {
    targets.push(leaf);
    return targets.length - 1;
  }
  if (Array.isArray(node)) {
    const out: Template[] = new Array(node.length);
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      out[i] = walk(node[i], graph, targets, path);
      path.pop();
    }
    return out;
  }
  if (isPlainObject(node)) {
    const out: { [key: string]: Template } = {};
    for (const key of Object.keys(node)) {
      path.push(key);
      out[key] = walk(node[key], graph, targets, path);
      path.pop();
    }
    return out;
  }
  throw new InvalidArgumentError(
    `Fetch argument ${describe(node)} at ${formatPath(path)} has invalid type: must be a Tensor, Variable, Operation, name string, or an array/object of these.`,
  );
}

function formatPath(path: FetchPath): string {
  return `fetches${path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('')}`;
}

function toTarget(node: unknown, graph: Graph, path: FetchPath): FetchTarget | undefined {
  let target: FetchTarget | undefined;
  if (node instanceof Tensor || node instanceof Operation) target = node;
  else if (isTensorConvertible(node)) target = node[AS_TENSOR]();
  else if (typeof node === 'string') target = node.includes(':') ? graph.getTensor(node) : graph.getOperation(node);
  if (target && target.graph !== graph) {
    const label = target instanceof Tensor ? `Tensor("${target.name}")` : `Operation("${target.name}")`;
    throw new InvalidArgumentError(
      `Fetch argument ${label} at ${formatPath(path)} cannot be interpreted as a Tensor. (${label} is not an element of this graph.)`,
    );
  }
  return target;
}

function fill(template: Template, values: readonly (NDArray | null)[]): unknown {
  if (typeof template === 'number') return values[template]!;
  if (Array.isArray(template)) return template.map((t) => fill(t, values));
  const out: Record<string, unknown> = {};
  for (const [key, t] of Object.entries(template)) out[key] = fill(t, values);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return `(${(value as object).constructor?.name ?? 'object'})`;
  return `${JSON.stringify(value)} (${typeof value})`;
}
