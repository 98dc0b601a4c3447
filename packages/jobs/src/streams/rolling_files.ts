import { readdir } from 'node:fs/promises';
import type { Dataset, Stage } from '@tsflow/data';
import { RedisStreamSource } from './redis_stream_source.js';

/**
 * A rolled file is named after the id of its first entry (`part-<ms>-<seq>.parquet`, padded so
 * names sort like ids): a restarted consumer that re-reads the same entries writes them to the
 * same name, replacing a file it had committed but not yet acknowledged.
 */
export function rollingFileName(firstId: string, format: 'parquet' | 'arrow'): string {
  const [ms = '0', seq = '0'] = firstId.split('-');
  return `part-${ms.padStart(13, '0')}-${seq.padStart(6, '0')}.${format}`;
}

/** The rolled files already in `dir`. */
export async function listRollingFiles(dir: string, format: 'parquet' | 'arrow'): Promise<Set<string>> {
  const pattern = new RegExp(`^part-\\d{13,}-\\d{6,}\\.${format}$`);
  return new Set((await readdir(dir)).filter((name) => pattern.test(name)));
}

/** The Redis Stream source at the root of a pipeline (whose entries the sink acknowledges). */
export function streamSourceOf(ds: Dataset<unknown>): RedisStreamSource | undefined {
  const visit = (stage: Stage<unknown>): RedisStreamSource | undefined => {
    if (stage instanceof RedisStreamSource) return stage;
    for (const upstream of stage.upstream) {
      const found = visit(upstream);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(ds.stage);
}
