import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  Session,
  Variable,
  add,
  gather,
  globalVariablesInitializer,
  gradients,
  identity,
  indexedSlicesOf,
  IndexedSlices,
  mul,
  reduceSum,
  square,
} from '../index.js';
import { DEVICES } from '../test_support/devices.js';

/*
 * The gradient of gather(W, ids) is dense scatter-add of dy into W's rows; its sparse form (TF1's
 * IndexedSlices) holds dy's rows and their ids. Expected values are written from that rule.
 */
describe.each(DEVICES)('IndexedSlices gradients of gather (%s)', (device) => {
  const W0 = [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
  ];

  async function run<T>(
    build: () => T,
    fetch: (built: T) => Parameters<Session['run']>[0],
  ): Promise<{ built: T; out: unknown }> {
    const g = new Graph();
    const built = g.asDefault(build);
    using sess = new Session(g, { device });
    await sess.run(globalVariablesInitializer({ graph: g }));
    return { built, out: await sess.run(fetch(built)) };
  }

  it('gives a dense Tensor carrying values (dy rows) and indices (ids); duplicates add up densely', async () => {
    const { built, out } = await run(
      () => {
        const W = new Variable(W0, { name: 'W' });
        // d/dW of sum(rows * [[1, 10], [100, 1000], [1e4, 1e5]]) for ids [2, 0, 2].
        const loss = reduceSum(
          mul(gather(W, [2, 0, 2]), [
            [1, 10],
            [100, 1000],
            [1e4, 1e5],
          ]),
        );
        const [dW] = gradients(loss, [W]);
        const sparse = indexedSlicesOf(dW!)!;
        return { dW: dW!, sparse };
      },
      ({ dW, sparse }) => ({ dense: dW, values: sparse.values, indices: sparse.indices }),
    );
    expect(built.sparse).toBeInstanceOf(IndexedSlices);
    expect(built.sparse.dense).toBe(built.dW);
    expect(built.sparse.denseShape).toEqual([4, 2]);
    const { dense, values, indices } = out as Record<string, NDArray>;
    expect(dense!.toArray()).toEqual([
      [100, 1000],
      [0, 0],
      [10001, 100010],
      [0, 0],
    ]);
    expect(values!.toArray()).toEqual([
      [1, 10],
      [100, 1000],
      [1e4, 1e5],
    ]);
    expect(indices!.dtype).toBe('int32');
    expect(indices!.toArray()).toEqual([2, 0, 2]);
  });

  it('flattens ids of rank 2 into [n] indices and [n, d] values', async () => {
    const { out } = await run(
      () => {
        const W = new Variable(W0);
        const [dW] = gradients(
          reduceSum(
            gather(W, [
              [0, 1],
              [1, 3],
            ]),
          ),
          [W],
        );
        const sparse = indexedSlicesOf(dW!)!;
        return [sparse.values, sparse.indices, dW!];
      },
      (fetches) => fetches,
    );
    const [values, indices, dense] = out as NDArray[];
    expect(values!.shape).toEqual([4, 2]);
    expect(values!.toArray()).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(indices!.toArray()).toEqual([0, 1, 1, 3]);
    expect(dense!.toArray()).toEqual([
      [1, 1],
      [2, 2],
      [0, 0],
      [1, 1],
    ]);
  });

  it('stays sparse through identity and when every contribution is sparse (values and indices concatenated)', async () => {
    const { built, out } = await run(
      () => {
        const W = new Variable(W0);
        const loss = add(reduceSum(gather(identity(W), [1])), reduceSum(mul(gather(W, [3, 1]), 2)));
        const [dW] = gradients(loss, [W]);
        return { dW: dW!, sparse: indexedSlicesOf(dW!) };
      },
      ({ dW, sparse }) => [dW, sparse!.values, sparse!.indices],
    );
    expect(built.sparse).toBeDefined();
    const [dense, values, indices] = out as NDArray[];
    expect(dense!.toArray()).toEqual([
      [0, 0],
      [3, 3],
      [0, 0],
      [2, 2],
    ]);
    // Contributions in gradient order; the dense sum above is what the rows add up to.
    const rows = (values!.toArray() as number[][]).map((row, i) => [(indices!.toArray() as number[])[i], ...row]);
    expect(rows.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!)).toEqual([
      [1, 1, 1],
      [1, 2, 2],
      [3, 2, 2],
    ]);
  });

  it('is densified when summed with a dense gradient, and dense consumers see the dense values', async () => {
    const { built, out } = await run(
      () => {
        const W = new Variable(W0);
        const loss = add(reduceSum(gather(W, [0, 0])), reduceSum(square(W)));
        const [dW] = gradients(loss, [W]);
        const [dOnly] = gradients(reduceSum(gather(W, [1])), [W]);
        return { dW: dW!, used: add(dOnly!, 1) };
      },
      ({ dW, used }) => [dW, used],
    );
    expect(indexedSlicesOf(built.dW)).toBeUndefined();
    const [dW, used] = out as NDArray[];
    expect(dW!.toArray()).toEqual([
      [2 + 2, 2 + 4],
      [6, 8],
      [10, 12],
      [14, 16],
    ]);
    expect(used!.toArray()).toEqual([
      [1, 1],
      [2, 2],
      [1, 1],
      [1, 1],
    ]);
  });

  it('gives no sparse form for a gather along another axis', async () => {
    const g = new Graph();
    const dW = g.asDefault(() => {
      const W = new Variable(W0);
      return gradients(reduceSum(gather(W, [1], 1)), [W])[0]!;
    });
    expect(indexedSlicesOf(dW)).toBeUndefined();
  });
});
