import { Graph } from '../graph/graph.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { Session, type SessionDevice } from '../session/session.js';
import type { Fetches } from '../session/fetches.js';

/**
 * Devices the op suites run on: every op test is `describe.each(DEVICES)` and must match the
 * cpu reference on each. 'gpu' runs every op through gpu.js (webasm without a GL context);
 * 'auto' through the placement policy. TSFLOW_TEST_DEVICES=gpu (comma-separated) narrows them.
 */
export const DEVICES: readonly SessionDevice[] = devicesFromEnv(process.env['TSFLOW_TEST_DEVICES']) ?? [
  'cpu',
  'gpu',
  'auto',
];

function devicesFromEnv(value: string | undefined): SessionDevice[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const devices = value.split(',').map((d) => d.trim());
  for (const d of devices) {
    if (d !== 'cpu' && d !== 'gpu' && d !== 'auto')
      throw new Error(`TSFLOW_TEST_DEVICES: unknown device '${d}'; expected cpu, gpu or auto`);
  }
  return devices as SessionDevice[];
}

/** Builds a fresh graph with `build`, runs its result on `device`, returns the fetched values. */
export async function evaluate<T extends Fetches>(device: SessionDevice, build: () => T): Promise<unknown> {
  const graph = new Graph();
  const fetches = graph.asDefault(build);
  const session = new Session(graph, { device });
  try {
    return await session.run(fetches);
  } finally {
    session.close();
  }
}

/** `evaluate` for a single tensor. */
export async function evaluate1(device: SessionDevice, build: () => Fetches): Promise<NDArray> {
  return (await evaluate(device, build)) as NDArray;
}

/** Asserts two arrays are elementwise close: |a-b| <= atol + rtol*|b|. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 1e-5, atol = 1e-6 } = {},
): void {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: got ${actual.length}, expected ${expected.length}`);
  }
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) ? !Number.isNaN(a) : !(Math.abs(a - e) <= atol + rtol * Math.abs(e)) && a !== e) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
