import { InvalidArgumentError, NDArray, NotFoundError } from '@tsflow/core';

export interface FeatureMatrixOptions<A extends string = string, Keep extends boolean = boolean> {
  /** Name of the assembled column (default `'features'`). */
  as?: A;
  /** Keep the source columns next to the matrix (default false: they are replaced). */
  keep?: Keep;
}

/** What `featureMatrix` makes of an element `E`: the matrix as `A`, the columns `C` removed unless kept. */
export type WithFeatureMatrix<E, C extends string, A extends string, Keep extends boolean> = (Keep extends true
  ? E
  : Omit<E, C>) & { [K in A]: NDArray };

/**
 * A map function that assembles scalar columns into one float32 feature matrix: on a batch
 * (`{ a: [n], b: [n], ... }`, e.g. after `batch(n)` of a Parquet source) it gives `[n, k]`;
 * on a row (`{ a: 1, b: 2 }`) it gives `[k]`, which `batch` then stacks into `[n, k]`.
 * Integer and bool columns are converted to float32; the column order is `columns`'.
 *
 * @example
 * Dataset.fromParquet('iris.parquet').batch(32).map(featureMatrix(['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], { as: 'x' }));
 * // → { x: NDArray float32 [32, 4], label: NDArray int32 [32] }
 */
export function featureMatrix<const C extends string, A extends string = 'features', Keep extends boolean = false>(
  columns: readonly C[],
  options: FeatureMatrixOptions<A, Keep> = {},
): <E extends object>(element: E) => WithFeatureMatrix<E, C, A, Keep> {
  if (!Array.isArray(columns) || columns.length === 0)
    throw new InvalidArgumentError('featureMatrix: columns must be a non-empty array of column names');
  const as = options.as ?? 'features';
  const keep = options.keep ?? false;
  const k = columns.length;
  const replaced = new Set(keep ? [] : columns);
  return <E extends object>(input: E): WithFeatureMatrix<E, C, A, Keep> => {
    const element = input as Readonly<Record<string, unknown>>;
    const first = element[columns[0]!];
    const matrix = first instanceof NDArray ? stackColumns(element, columns) : rowVector(element, columns);
    // Same prototype: rows from Arrow/Parquet carry their column kinds there, so `batch` keeps int32 columns int32.
    const out = Object.create(Object.getPrototypeOf(element) as object | null) as Record<string, unknown>;
    for (const [name, value] of Object.entries(element)) if (!replaced.has(name)) out[name] = value;
    out[as] = matrix;
    return out as WithFeatureMatrix<E, C, A, Keep>;
  };

  function stackColumns(batch: Readonly<Record<string, unknown>>, names: readonly string[]): NDArray {
    let n = -1;
    const sources: ArrayLike<number>[] = names.map((name) => {
      const column = lookup(batch, name);
      if (!(column instanceof NDArray) || column.rank !== 1) {
        throw new InvalidArgumentError(
          `featureMatrix: column '${name}' must be a numeric [n] NDArray, got ${describe(column)}`,
        );
      }
      if (n >= 0 && column.shape[0] !== n) {
        throw new InvalidArgumentError(
          `featureMatrix: column '${name}' has ${column.shape[0]} rows but '${names[0]}' has ${n}`,
        );
      }
      n = column.shape[0]!;
      return column.data;
    });
    const out = new Float32Array(n * k);
    for (let c = 0; c < k; c++) {
      const source = sources[c]!;
      for (let i = 0, j = c; i < n; i++, j += k) out[j] = source[i]!;
    }
    return new NDArray('float32', [n, k], out);
  }

  function rowVector(row: Readonly<Record<string, unknown>>, names: readonly string[]): NDArray {
    const out = new Float32Array(k);
    for (let c = 0; c < k; c++) {
      const value = lookup(row, names[c]!);
      if (typeof value === 'number') out[c] = value;
      else if (typeof value === 'boolean') out[c] = value ? 1 : 0;
      else
        throw new InvalidArgumentError(`featureMatrix: column '${names[c]}' must be a number, got ${describe(value)}`);
    }
    return new NDArray('float32', [k], out);
  }
}

function lookup(element: Readonly<Record<string, unknown>>, name: string): unknown {
  if (!(name in element)) {
    throw new NotFoundError(
      `featureMatrix: column '${name}' does not exist; the element has ${Object.keys(element).join(', ')}`,
    );
  }
  return element[name];
}

function describe(value: unknown): string {
  if (value instanceof NDArray) return `NDArray ${value.dtype}${JSON.stringify(value.shape)}`;
  if (Array.isArray(value)) return `an array (${typeof value[0]} values)`;
  return `${typeof value} ${String(value)}`;
}
