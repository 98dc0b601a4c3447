import type { NDArray, Session, Tensor } from '@tsflow/core';
import type { SummaryWriter } from '../summary/summary_writer.js';
import type { EpochLog } from './trainer_types.js';

/** The step scalars, `loss` and each metric, in one event (every `logEvery` steps). */
export function logStep(
  writer: SummaryWriter,
  step: number,
  loss: number,
  metricNames: readonly string[],
  values: readonly NDArray[],
): void {
  const scalars: Record<string, number> = { loss };
  for (let i = 0; i < metricNames.length; i++) scalars[metricNames[i]!] = values[i + 1]!.item();
  writer.addScalars(scalars, step);
}

/** The epoch means (`epoch/loss`, `epoch/<metric>`) and a histogram of every trainable variable. */
export async function logEpoch(writer: SummaryWriter, session: Session, step: number, log: EpochLog): Promise<void> {
  writer.addScalar('epoch/loss', log.loss, step);
  for (const [name, value] of Object.entries(log.metrics)) writer.addScalar(`epoch/${name}`, value, step);
  const variables = session.graph.getCollection<{ name: string; value(): Tensor }>('trainable_variables');
  const values = (await session.run(variables.map((v) => v.value()))) as NDArray[];
  variables.forEach((v, i) => {
    writer.addHistogram(v.name, values[i]!, step);
  });
}
