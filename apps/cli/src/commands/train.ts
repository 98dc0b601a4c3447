import type { SessionDevice } from '@tsflow/core';
import { trainDigitsMlp } from '@tsflow/examples';
import { type CliIO, nonNegativeInt, positiveInt, positiveNumber } from '../cli_io.js';
import type { ParsedArgs } from '../run_cli.js';

/** `tsflow train digits [...]`: trains the example MLP and prints per-epoch loss and accuracy. */
export async function trainCommand({ positionals, values }: ParsedArgs, io: CliIO): Promise<number> {
  const [model] = positionals;
  if (model !== 'digits') throw new Error(`unknown model '${model ?? ''}': available models are: digits`);
  const device = values['device'] ?? 'cpu';
  if (!isSessionDevice(device)) throw new Error(`--device must be cpu, gpu or auto, got '${String(device)}'`);
  const options = {
    device,
    epochs: positiveInt(values['epochs'], 'epochs', 15),
    batchSize: positiveInt(values['batch-size'], 'batch-size', 64),
    hiddenUnits: positiveInt(values['hidden'], 'hidden', 64),
    learningRate: positiveNumber(values['learning-rate'], 'learning-rate', 0.01),
    seed: nonNegativeInt(values['seed'], 'seed', 42),
    log: io.out,
    ...(typeof values['data'] === 'string' ? { dataPath: values['data'] } : {}),
  };
  const result = await trainDigitsMlp(options);
  io.out(`held-out accuracy ${(result.testAccuracy * 100).toFixed(1)}%, ${result.stepsPerSecond.toFixed(0)} steps/s`);
  return 0;
}

function isSessionDevice(value: unknown): value is SessionDevice {
  return value === 'cpu' || value === 'gpu' || value === 'auto';
}
