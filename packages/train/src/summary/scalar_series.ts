import { readEvents } from './read_events.js';

export interface ScalarPoint {
  step: number;
  value: number;
  wallTime: number;
}

/**
 * Every scalar series of an event file or folder, by tag, in file order. A `SessionLog START`
 * at step s drops the points at steps >= s recorded before it, as TensorBoard does, so a
 * resumed run's series has no stale points from the run it replaced.
 */
export async function readScalars(path: string): Promise<Map<string, ScalarPoint[]>> {
  const series = new Map<string, ScalarPoint[]>();
  for await (const event of readEvents(path)) {
    if (event.sessionLog?.status === 'START') {
      for (const [tag, points] of series)
        series.set(
          tag,
          points.filter((p) => p.step < event.step),
        );
    }
    for (const [tag, value] of Object.entries(event.scalars ?? {})) {
      let points = series.get(tag);
      if (points === undefined) series.set(tag, (points = []));
      points.push({ step: event.step, value, wallTime: event.wallTime });
    }
  }
  return series;
}
