import {
  type DType,
  type TypedArray,
  allocTypedArray,
  assertValueDType,
  dtypeOfTypedArray,
  isTypedArray,
} from '../dtype.js';
import { InvalidArgumentError, OutOfRangeError } from '../errors.js';
import { castData, refuseBigIntArray } from './cast_data.js';
import { formatValues } from './format_values.js';
import { computeStrides, formatShape, shapeSize, validateConcreteShape } from './shape.js';

/** Node's hook for `console.log` / `util.inspect` (a registered symbol, so no import of node:util). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

const SCALAR_SHAPE: readonly number[] = Object.freeze([]);

export { castData } from './cast_data.js';

/** Nested JS arrays of numbers/booleans, as `toArray()` returns and `ndarray()` accepts. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * A concrete host value: a dtype, a shape and row-major data.
 *
 * @example
 * const a = ndarray([[1, 2], [3, 4]]);
 * a.shape; // [2, 2]
 * a.get(1, 0); // 3
 */
export class NDArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;

  constructor(dtype: DType, shape: readonly number[], data: TypedArray) {
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new InvalidArgumentError(
        `NDArray data has ${data.length} elements but shape ${formatShape(shape)} needs ${size}`,
      );
    }
    this.dtype = dtype;
    // A frozen shape (another NDArray's, a plan's) can be shared as is: only a mutable one is
    // copied. Scalars share one empty shape without asking (Object.isFrozen is not free).
    this.shape = shape.length === 0 ? SCALAR_SHAPE : Object.isFrozen(shape) ? shape : Object.freeze(shape.slice());
    this.data = data;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The value of a size-1 array. */
  item(): number {
    if (this.size !== 1) {
      throw new InvalidArgumentError(`item() needs an array of size 1, got shape ${formatShape(this.shape)}`);
    }
    return this.data[0]!;
  }

  /** The element at a full index; negative indices count from the end. */
  get(...index: number[]): number {
    if (index.length !== this.rank) {
      throw new InvalidArgumentError(
        `get() needs ${this.rank} indices for shape ${formatShape(this.shape)}, got ${index.length}`,
      );
    }
    let offset = 0;
    let stride = 1;
    for (let axis = this.rank - 1; axis >= 0; axis--) {
      const dim = this.shape[axis]!;
      let i = index[axis]!;
      if (i < 0) i += dim;
      if (!Number.isInteger(i) || i < 0 || i >= dim) {
        throw new OutOfRangeError(`index ${index[axis]} is out of range for axis ${axis} of size ${dim}`);
      }
      offset += i * stride;
      stride *= dim;
    }
    return this.data[offset]!;
  }

  /** Nested JS arrays (booleans for `bool`); a plain number for rank 0. */
  toArray(): NestedArray {
    const asBool = this.dtype === 'bool';
    const data = this.data;
    const shape = this.shape;
    if (shape.length === 0) return asBool ? data[0] !== 0 : data[0]!;
    const strides = computeStrides(shape);
    const build = (axis: number, offset: number): NestedArray[] => {
      const dim = shape[axis]!;
      const out: NestedArray[] = new Array(dim);
      if (axis === shape.length - 1) {
        for (let i = 0; i < dim; i++) out[i] = asBool ? data[offset + i] !== 0 : data[offset + i]!;
      } else {
        const stride = strides[axis]!;
        for (let i = 0; i < dim; i++) out[i] = build(axis + 1, offset + i * stride);
      }
      return out;
    };
    return build(0, 0);
  }

  /** Same data viewed with another shape (no copy). */
  reshape(shape: readonly number[]): NDArray {
    return new NDArray(this.dtype, shape, this.data);
  }

  /** One line: `NDArray float32[2,3] [[1,2,3],[4,5,6]]` (large arrays summarized with `...`). */
  toString(): string {
    return `NDArray ${this.dtype}${formatShape(this.shape)} ${formatValues(this.data, this.shape, this.dtype === 'bool')}`;
  }

  /** What `console.log` and `util.inspect` print: `toString()`. */
  [INSPECT](): string {
    return this.toString();
  }
}

export interface NDArrayOptions {
  dtype?: DType;
  shape?: readonly number[];
}

/**
 * Builds an NDArray from a number, boolean, nested arrays or a typed array (+ shape).
 * A typed array whose type matches `dtype` is used without copying.
 *
 * @example
 * ndarray(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] });
 */
export function ndarray(values: NestedArray | ArrayLike<number> | NDArray, options: NDArrayOptions = {}): NDArray {
  const requested = options.dtype === undefined ? undefined : assertValueDType(options.dtype, 'ndarray');
  if (values instanceof NDArray) {
    const dtype = requested ?? values.dtype;
    const data = dtype === values.dtype ? values.data : castData(values.data, dtype);
    return new NDArray(dtype, options.shape ? validateConcreteShape(options.shape, 'ndarray') : values.shape, data);
  }
  if (isTypedArray(values)) {
    refuseBigIntArray(values, 'ndarray');
    const own = dtypeOfTypedArray(values);
    const dtype = requested ?? own ?? 'float32';
    const matches = own === dtype || (dtype === 'float64' && values instanceof Float64Array);
    const data = matches ? (values as unknown as TypedArray) : castData(values, dtype);
    const shape = options.shape ? validateConcreteShape(options.shape, 'ndarray') : [data.length];
    return new NDArray(dtype, shape, data);
  }
  const { shape: inferred, flat, sawBoolean } = flattenNested(values as NestedArray);
  const dtype = requested ?? (sawBoolean ? 'bool' : 'float32');
  const data = castData(flat, dtype);
  if (options.shape) {
    const shape = validateConcreteShape(options.shape, 'ndarray');
    if (flat.length === 1 && shapeSize(shape) !== 1) {
      // A scalar with a shape fills it, like tf.constant(5, shape=[2, 2]).
      const filled = allocTypedArray(dtype, shapeSize(shape));
      filled.fill(data[0]!);
      return new NDArray(dtype, shape, filled);
    }
    return new NDArray(dtype, shape, data);
  }
  return new NDArray(dtype, inferred, data);
}

function flattenNested(values: NestedArray): { shape: number[]; flat: number[]; sawBoolean: boolean } {
  const shape: number[] = [];
  let probe: NestedArray = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0]!;
  }
  const flat: number[] = [];
  let sawBoolean = false;
  const walk = (node: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node === 'boolean') {
        sawBoolean = true;
        flat.push(node ? 1 : 0);
      } else if (typeof node === 'number') {
        flat.push(node);
      } else {
        throw new InvalidArgumentError(
          `ndarray: ragged nested array at ${path || 'top level'}: expected a number, got an array`,
        );
      }
      return;
    }
    if (!Array.isArray(node)) {
      throw new InvalidArgumentError(
        `ndarray: ragged nested array at ${path || 'top level'}: expected an array of length ${shape[depth]}, got ${typeof node}`,
      );
    }
    if (node.length !== shape[depth]) {
      throw new InvalidArgumentError(
        `ndarray: ragged nested array at ${path || 'top level'}: expected length ${shape[depth]}, got ${node.length}`,
      );
    }
    for (let i = 0; i < node.length; i++) walk(node[i]!, depth + 1, `${path}[${i}]`);
  };
  if (typeof values !== 'number' && typeof values !== 'boolean' && !Array.isArray(values)) {
    throw new InvalidArgumentError(`ndarray: cannot build an array from ${describeValue(values)}`);
  }
  walk(values, 0, '');
  return { shape, flat, sawBoolean };
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `${typeof value} ${String(value)}`;
}
