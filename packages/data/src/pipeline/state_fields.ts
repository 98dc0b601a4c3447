import { InvalidArgumentError } from '@tsflow/core';
import type { StageState } from './stage.js';

/** Reads a non-negative integer field of a saved state, with an error naming the stage. */
export function readCount(state: StageState, field: string, stageLabel: string): number {
  const value = state[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw badState(stageLabel, `field '${field}' should be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Refuses a saved position beyond the data (`row: 1e12` of a 150-row file): resuming there
 * would silently skip everything, so it is an error naming the field, the value and the size.
 */
export function beyondData(stageLabel: string, field: string, value: number, size: string): InvalidArgumentError {
  return badState(stageLabel, `field '${field}' is ${value}, beyond the data (${size})`);
}

/** `readCount`, refusing values above `max` (the number of items there are). */
export function readCountUpTo(state: StageState, field: string, stageLabel: string, max: number, unit: string): number {
  const value = readCount(state, field, stageLabel);
  if (value > max) throw beyondData(stageLabel, field, value, `${max} ${unit}`);
  return value;
}

/** Reads the nested state of an upstream stage (undefined when it had not started). */
export function readUpstream(state: StageState, field: string, stageLabel: string): StageState | undefined {
  const value = state[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badState(stageLabel, `field '${field}' should be an object, got ${JSON.stringify(value)}`);
  }
  return value as StageState;
}

export function readBoolean(state: StageState, field: string, stageLabel: string): boolean {
  const value = state[field];
  if (typeof value !== 'boolean')
    throw badState(stageLabel, `field '${field}' should be a boolean, got ${JSON.stringify(value)}`);
  return value;
}

export function badState(stageLabel: string, detail: string): InvalidArgumentError {
  return new InvalidArgumentError(`Saved iterator state does not fit ${stageLabel}: ${detail}`);
}
