import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError, type SessionDevice } from '@tsflow/core';
import type { Every } from '../trainer/trainer_types.js';

export type OptimizerName = 'adam' | 'sgd' | 'momentum' | 'rmsprop' | 'adagrad';

/**
 * A declarative MLP classifier, as `tsflow train <config.json>` reads it. Paths are relative to
 * the config file.
 */
export interface TrainConfig {
  /** Parquet/Arrow file(s) or a glob. */
  data: string[];
  /** Numeric columns (a fixed-size-list column adds its width). */
  features: string[];
  /** An integer class column (0 .. classes-1). */
  label: string;
  /** Default: the largest label + 1. */
  classes?: number;
  hidden: number[];
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
  batchSize: number;
  shuffleBuffer: number;
  seed: number;
  /** Every N-th row is held out for validation (0: none). */
  heldOutEvery: number;
  /** Standardize features with the training rows' mean and deviation. */
  standardize: boolean;
  /** Checkpoints (`model-<step>.safetensors`, `checkpoint`) and `logs/` go here. */
  outputDir: string;
  resume: boolean;
  checkpointEvery: Every;
  device: SessionDevice;
}

const DEFAULTS = {
  hidden: [64],
  optimizer: 'adam',
  batchSize: 32,
  shuffleBuffer: 10_000,
  seed: 42,
  heldOutEvery: 5,
  standardize: true,
  resume: false,
  checkpointEvery: { epochs: 1 },
  device: 'cpu',
} as const;
const DEFAULT_RATES: Record<OptimizerName, number> = {
  adam: 0.01,
  sgd: 0.1,
  momentum: 0.05,
  rmsprop: 0.01,
  adagrad: 0.1,
};
const KEYS = [
  'data',
  'features',
  'label',
  'classes',
  'hidden',
  'optimizer',
  'learningRate',
  'epochs',
  'batchSize',
  'shuffleBuffer',
  'seed',
  'heldOutEvery',
  'standardize',
  'outputDir',
  'resume',
  'checkpointEvery',
  'device',
] as const;

/** Checks a parsed config object (keys, types, ranges) and fills defaults; paths are resolved against `baseDir`. */
export function parseTrainConfig(raw: unknown, baseDir: string): TrainConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('the config must be a JSON object');
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      const near = KEYS.find((k) => k.toLowerCase() === key.toLowerCase() || k.startsWith(key) || key.startsWith(k));
      throw bad(`unknown key '${key}'${near ? ` (did you mean '${near}'?)` : ''}; keys: ${KEYS.join(', ')}`);
    }
  }
  for (const key of ['data', 'features', 'label', 'epochs', 'outputDir'] as const)
    if (input[key] === undefined) throw bad(`'${key}' is required`);
  const data = typeof input['data'] === 'string' ? [input['data']] : input['data'];
  if (!Array.isArray(data) || data.length === 0 || !data.every((p) => typeof p === 'string' && p !== ''))
    throw bad(`'data' must be a path, a glob or a list of them, got ${show(input['data'])}`);
  const features = input['features'];
  if (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === 'string' && f !== ''))
    throw bad(`'features' must be a non-empty list of column names, got ${show(features)}`);
  if (typeof input['label'] !== 'string' || input['label'] === '')
    throw bad(`'label' must be a column name, got ${show(input['label'])}`);
  const optimizer = input['optimizer'] ?? DEFAULTS.optimizer;
  if (typeof optimizer !== 'string' || !(optimizer in DEFAULT_RATES))
    throw bad(`'optimizer' must be one of ${Object.keys(DEFAULT_RATES).join(', ')}, got ${show(optimizer)}`);
  const hidden = input['hidden'] ?? DEFAULTS.hidden;
  if (!Array.isArray(hidden) || !hidden.every((h) => Number.isInteger(h) && h > 0))
    throw bad(`'hidden' must be a list of positive integers (units per layer), got ${show(hidden)}`);
  const device = input['device'] ?? DEFAULTS.device;
  if (device !== 'cpu' && device !== 'gpu' && device !== 'auto')
    throw bad(`'device' must be cpu, gpu or auto, got ${show(device)}`);
  if (typeof input['outputDir'] !== 'string' || input['outputDir'] === '')
    throw bad(`'outputDir' must be a path, got ${show(input['outputDir'])}`);
  const config: TrainConfig = {
    data: (data as string[]).map((p) => (isAbsolute(p) ? p : resolve(baseDir, p))),
    features: features as string[],
    label: input['label'],
    hidden: hidden as number[],
    optimizer: optimizer as OptimizerName,
    learningRate: number(
      input,
      'learningRate',
      DEFAULT_RATES[optimizer as OptimizerName],
      (n) => n > 0,
      'a positive number',
    ),
    epochs: number(input, 'epochs', 1, isPositiveInt, 'a positive integer'),
    batchSize: number(input, 'batchSize', DEFAULTS.batchSize, isPositiveInt, 'a positive integer'),
    shuffleBuffer: number(input, 'shuffleBuffer', DEFAULTS.shuffleBuffer, isPositiveInt, 'a positive integer'),
    seed: number(input, 'seed', DEFAULTS.seed, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
    heldOutEvery: number(
      input,
      'heldOutEvery',
      DEFAULTS.heldOutEvery,
      (n) => n === 0 || (Number.isInteger(n) && n >= 2),
      '0 or an integer >= 2',
    ),
    standardize: flag(input, 'standardize', DEFAULTS.standardize),
    outputDir: isAbsolute(input['outputDir']) ? input['outputDir'] : resolve(baseDir, input['outputDir']),
    resume: flag(input, 'resume', DEFAULTS.resume),
    checkpointEvery: every(input['checkpointEvery']),
    device,
  };
  if (input['classes'] !== undefined)
    config.classes = number(input, 'classes', 2, (n) => Number.isInteger(n) && n >= 2, 'an integer >= 2');
  return config;
}

function bad(message: string): InvalidArgumentError {
  return new InvalidArgumentError(`config: ${message}`);
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function isPositiveInt(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}

function number(
  input: Record<string, unknown>,
  key: string,
  fallback: number,
  ok: (n: number) => boolean,
  what: string,
): number {
  const value = input[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))
    throw bad(`'${key}' must be ${what}, got ${show(value)}`);
  return value;
}

function flag(input: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = input[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw bad(`'${key}' must be true or false, got ${show(value)}`);
  return value;
}

function every(value: unknown): Every {
  if (value === undefined) return { ...DEFAULTS.checkpointEvery };
  const ok =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(([k, v]) => (k === 'steps' || k === 'epochs') && isPositiveInt(v as number)) &&
    Object.keys(value).length > 0;
  if (!ok) throw bad(`'checkpointEvery' must be { "steps": N } and/or { "epochs": N }, got ${show(value)}`);
  return value as Every;
}
