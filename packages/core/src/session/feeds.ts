import { type DType, dtypeOfTypedArray, isTypedArray } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import type { Graph } from '../graph/graph.js';
import { AS_TENSOR, isTensorConvertible, Tensor } from '../graph/tensor.js';
import { castData, NDArray, ndarray, type NestedArray } from '../ndarray/ndarray.js';
import { refuseBigIntArray } from '../ndarray/cast_data.js';
import { formatShape, isCompatibleShape, shapeSize } from '../ndarray/shape.js';

/** A value to feed: an NDArray, number, boolean, nested arrays, or a typed array (shape from the tensor). */
export type FeedValue = NDArray | NestedArray | Float32Array | Int32Array | Uint8Array | ArrayLike<number>;
export type FeedKey = Tensor | string | { [AS_TENSOR](): Tensor };
export type Feeds = Map<FeedKey, FeedValue> | { readonly [name: string]: FeedValue };

/** Fed tensors and their values, in the order the feeds give them. */
export interface FeedList {
  tensors: Tensor[];
  values: NDArray[];
}

/** Above this many feeds the duplicate check uses a Set instead of scanning the tensors so far. */
const SCANNED_FEEDS = 16;

/**
 * Resolves feed keys to tensors and converts/validates the values against their static shapes.
 * Two arrays in the feeds' own order, not a Map: a Map per run (and its lookups) is a visible
 * part of the fixed cost of a small graph's run.
 */
export function resolveFeeds(feeds: Feeds | undefined, graph: Graph): FeedList {
  const tensors: Tensor[] = [];
  const values: NDArray[] = [];
  if (feeds === undefined || feeds === null) return { tensors, values };
  let seen: Set<Tensor> | undefined;
  const add = (key: unknown, raw: unknown): void => {
    const tensor = resolveFeedKey(key, graph);
    if (tensors.length >= SCANNED_FEEDS) seen ??= new Set(tensors);
    if (seen ? seen.has(tensor) : tensors.includes(tensor)) {
      throw new InvalidArgumentError(`Tensor '${tensor.name}' is fed more than once.`);
    }
    seen?.add(tensor);
    tensors.push(tensor);
    values.push(toFeedArray(raw, tensor));
  };
  if (feeds instanceof Map) {
    for (const [key, raw] of feeds) add(key, raw);
  } else if (typeof feeds === 'object') {
    for (const key of Object.keys(feeds)) add(key, (feeds as Record<string, unknown>)[key]);
  } else {
    invalidFeeds(feeds);
  }
  return { tensors, values };
}

function invalidFeeds(feeds: unknown): never {
  throw new InvalidArgumentError(`feeds must be a Map or a plain object keyed by tensor name, got ${typeof feeds}`);
}

function resolveFeedKey(key: unknown, graph: Graph): Tensor {
  let tensor: Tensor;
  if (key instanceof Tensor) tensor = key;
  else if (isTensorConvertible(key)) tensor = key[AS_TENSOR]();
  else if (typeof key === 'string') {
    if (key.includes(':')) tensor = graph.getTensor(key);
    else {
      const op = graph.getOperation(key);
      if (op.outputs.length !== 1) {
        throw new InvalidArgumentError(
          `Cannot feed by operation name '${key}': it has ${op.outputs.length} outputs; use '${key}:<index>'.`,
        );
      }
      tensor = op.outputs[0]!;
    }
  } else {
    throw new InvalidArgumentError(`Feed key must be a Tensor, Variable or tensor name, got ${typeof key}`);
  }
  if (tensor.graph !== graph) {
    throw new InvalidArgumentError(`Cannot feed Tensor("${tensor.name}"): it is not an element of this graph.`);
  }
  return tensor;
}

function toFeedArray(raw: unknown, tensor: Tensor): NDArray {
  let value: NDArray;
  if (raw instanceof NDArray) value = convertDType(raw, tensor.dtype, tensor);
  else if (isTypedArray(raw)) value = typedArrayFeed(raw, tensor);
  else if (typeof raw === 'number' || typeof raw === 'boolean' || Array.isArray(raw)) {
    let shaped: NDArray;
    try {
      shaped = ndarray(raw as NestedArray);
    } catch (error) {
      throw new InvalidArgumentError(`Cannot feed value for Tensor '${tensor.name}': ${(error as Error).message}`);
    }
    // int32 is checked on the numbers as given (at double precision), by the rule of convertDType.
    value =
      tensor.dtype === 'int32'
        ? new NDArray(
            'int32',
            shaped.shape,
            castData(flatNumbers(raw), 'int32', `Cannot feed value for Tensor '${tensor.name}' with dtype int32`),
          )
        : convertDType(shaped, tensor.dtype, tensor);
  } else {
    throw new InvalidArgumentError(
      `Cannot feed value of type ${raw === null ? 'null' : typeof raw} for Tensor '${tensor.name}': expected an NDArray, number, boolean, nested array or typed array.`,
    );
  }
  if (!isCompatibleShape(value.shape, tensor.shape)) {
    throw new InvalidArgumentError(
      `Cannot feed value of shape ${formatShape(value.shape)} for Tensor '${tensor.name}', which has shape ${formatShape(tensor.shape)}`,
    );
  }
  return value;
}

function typedArrayFeed(raw: ArrayBufferView & ArrayLike<number>, tensor: Tensor): NDArray {
  refuseBigIntArray(raw, `Cannot feed value for Tensor '${tensor.name}'`);
  const shape = shapeFromTensor(tensor, raw.length);
  const own = dtypeOfTypedArray(raw);
  if (own !== undefined)
    return convertDType(new NDArray(own, shape, raw as Float32Array | Int32Array | Uint8Array), tensor.dtype, tensor);
  // Float64Array, Int16Array, ...: numbers, converted by the same rule as nested arrays.
  return convertDType(new NDArray('float32', shape, raw as never), tensor.dtype, tensor);
}

/** The concrete shape a flat buffer of `length` elements takes for `tensor` (one unknown dim is inferred). */
function shapeFromTensor(tensor: Tensor, length: number): number[] {
  const shape = tensor.shape;
  if (shape === null) return [length];
  const unknown = shape.filter((d) => d === null).length;
  const known = shapeSize(shape.filter((d): d is number => d !== null));
  if (unknown === 0 && known === length) return shape as number[];
  if (unknown === 1 && (known === 0 ? length === 0 : length % known === 0)) {
    const inferred = known === 0 ? 0 : length / known;
    return shape.map((d) => (d === null ? inferred : d));
  }
  throw new InvalidArgumentError(
    `Cannot feed a flat array of ${length} elements for Tensor '${tensor.name}', which has shape ${formatShape(shape)}: pass an NDArray with an explicit shape.`,
  );
}

/**
 * The one conversion rule of feeds: int32 takes integers within its range only (named by
 * element), bool takes bool values only; float32 takes any number.
 */
function convertDType(value: NDArray, dtype: DType, tensor: Tensor): NDArray {
  if (value.dtype === dtype) return value;
  if (dtype === 'bool') {
    throw new InvalidArgumentError(
      `Cannot feed value of dtype ${value.dtype} for Tensor '${tensor.name}' with dtype bool.`,
    );
  }
  return new NDArray(
    dtype,
    value.shape,
    castData(value.data, dtype, `Cannot feed value for Tensor '${tensor.name}' with dtype ${dtype}`),
  );
}

/** The numbers of a nested array (or a scalar) in row-major order, at full double precision. */
function flatNumbers(raw: unknown): number[] {
  return (Array.isArray(raw) ? (raw as unknown[]).flat(Infinity) : [raw]).map(Number);
}
