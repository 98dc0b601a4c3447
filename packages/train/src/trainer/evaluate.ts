import type { Feeds, NDArray, Session, Tensor } from '@tsflow/core';
import type { Dataset } from '@tsflow/data';

/** The number of examples a batch's feeds hold: the first dimension of the first fed array (1 when unknown). */
export function examplesIn(feeds: Feeds): number {
  const first = feeds instanceof Map ? feeds.values().next().value : firstValue(feeds);
  if (first === undefined || first === null || typeof first !== 'object') return 1;
  if ('shape' in first && Array.isArray((first as NDArray).shape)) return (first as NDArray).shape[0] ?? 1;
  if (Array.isArray(first)) return first.length;
  return 1;
}

function firstValue(feeds: { readonly [name: string]: unknown }): unknown {
  for (const key in feeds) return feeds[key];
  return undefined;
}

/** Example-weighted means of `loss` and `metrics` over every batch of `dataset`. */
export async function evaluateBatches<B>(
  session: Session,
  dataset: Dataset<B>,
  toFeeds: (batch: B) => Feeds,
  loss: Tensor,
  metrics: Readonly<Record<string, Tensor>>,
): Promise<{ loss: number; metrics: Record<string, number>; examples: number }> {
  const names = Object.keys(metrics);
  const fetches = [loss, ...names.map((name) => metrics[name]!)];
  const sums = new Float64Array(fetches.length);
  let examples = 0;
  for await (const batch of dataset) {
    const feeds = toFeeds(batch);
    const values = (await session.run(fetches, feeds)) as NDArray[];
    const n = examplesIn(feeds);
    for (let i = 0; i < values.length; i++) sums[i]! += values[i]!.item() * n;
    examples += n;
  }
  const mean = (i: number): number => (examples === 0 ? Number.NaN : sums[i]! / examples);
  return { loss: mean(0), metrics: Object.fromEntries(names.map((name, i) => [name, mean(i + 1)])), examples };
}
