import { BYTES_PER_ELEMENT, type DType, assertDType } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { formatShape, shapeSize } from '../ndarray/shape.js';
import type { AttrValue, OutputSpec } from './operation.js';

/**
 * Checks of `Graph.fromJSON` input, which may come from anywhere: every field has the type it
 * must have, nesting is bounded (no stack overflow), embedded arrays are exact (strict base64,
 * byte length = shape × dtype size), and attributes agree with the declared outputs, so a
 * graph that lies about its shapes is refused before anything runs.
 * @internal
 */

/** Deepest nesting of arrays/objects accepted in an attribute value. */
export const MAX_ATTR_DEPTH = 64;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function malformed(where: string, what: string): InvalidArgumentError {
  return new InvalidArgumentError(`Graph.fromJSON: ${where}: ${what}`);
}

/** The fields of one operation entry, type-checked. */
export interface OperationFields {
  name: string;
  type: string;
  inputs: string[];
  controlInputs: string[];
  attrs: Record<string, unknown>;
  outputs: OutputSpec[];
}

export function checkOperationFields(raw: unknown, where: string): OperationFields {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw malformed(where, `expected an object, got ${describe(raw)}`);
  const op = raw as Record<string, unknown>;
  if (typeof op['name'] !== 'string') throw malformed(where, `name must be a string, got ${describe(op['name'])}`);
  if (typeof op['type'] !== 'string') throw malformed(where, `type must be a string, got ${describe(op['type'])}`);
  const inputs = stringList(op['inputs'], where, 'inputs', false);
  const controlInputs = stringList(op['controlInputs'], where, 'controlInputs', true);
  const attrs = op['attrs'] ?? {};
  if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs))
    throw malformed(where, `attrs must be an object, got ${describe(attrs)}`);
  if (!Array.isArray(op['outputs'])) throw malformed(where, `outputs must be an array, got ${describe(op['outputs'])}`);
  const outputs = op['outputs'].map((output, i) => checkOutput(output, `${where} output ${i}`));
  return {
    name: op['name'],
    type: op['type'],
    inputs,
    controlInputs,
    attrs: attrs as Record<string, unknown>,
    outputs,
  };
}

function stringList(value: unknown, where: string, field: string, optional: boolean): string[] {
  if (value === undefined && optional) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw malformed(where, `${field} must be an array of names, got ${describe(value)}`);
  }
  return value;
}

function checkOutput(raw: unknown, where: string): OutputSpec {
  const output = raw as { dtype?: unknown; shape?: unknown } | null;
  if (output === null || typeof output !== 'object')
    throw malformed(where, `expected { dtype, shape }, got ${describe(raw)}`);
  const dtype = assertDType(output.dtype, `Graph.fromJSON: ${where}`);
  const shape = output.shape;
  if (shape !== null && !(Array.isArray(shape) && shape.every((d) => d === null || isDimension(d)))) {
    throw malformed(where, `shape must be null or an array of non-negative integers and nulls, got ${describe(shape)}`);
  }
  return { dtype, shape: shape as (number | null)[] | null };
}

function isDimension(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** An embedded array: dtype, a concrete shape and exactly shape × dtype-size bytes of strict base64. */
export function decodeNDArray(raw: unknown, where: string): NDArray {
  const spec = raw as { dtype?: unknown; shape?: unknown; base64?: unknown } | null;
  if (spec === null || typeof spec !== 'object')
    throw malformed(where, `an array attribute must be { dtype, shape, base64 }, got ${describe(raw)}`);
  const dtype = assertDType(spec.dtype, `Graph.fromJSON: ${where}`);
  if (!Array.isArray(spec.shape) || !spec.shape.every(isDimension)) {
    throw malformed(
      where,
      `an array attribute's shape must be an array of non-negative integers, got ${describe(spec.shape)}`,
    );
  }
  if (typeof spec.base64 !== 'string' || !BASE64.test(spec.base64)) {
    throw malformed(where, `an array attribute's data is not valid base64`);
  }
  const shape = spec.shape as number[];
  const expected = shapeSize(shape) * BYTES_PER_ELEMENT[dtype];
  const decodedLength =
    (spec.base64.length / 4) * 3 - (spec.base64.endsWith('==') ? 2 : spec.base64.endsWith('=') ? 1 : 0);
  if (decodedLength !== expected) {
    throw malformed(
      where,
      `an array attribute of dtype ${dtype} and shape ${formatShape(shape)} needs ${expected} bytes, but its data holds ${decodedLength}`,
    );
  }
  const bytes = Buffer.from(spec.base64, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const data =
    dtype === 'float32' ? new Float32Array(copy.buffer) : dtype === 'int32' ? new Int32Array(copy.buffer) : copy;
  return new NDArray(dtype, shape, data);
}

/** Refuses attribute values nested deeper than MAX_ATTR_DEPTH (before recursing into them). */
export function checkAttrDepth(depth: number, where: string): void {
  if (depth > MAX_ATTR_DEPTH) throw malformed(where, `an attribute is nested more than ${MAX_ATTR_DEPTH} levels deep`);
}

/** Object keys that would reach the prototype instead of the object. */
export function checkAttrKey(key: string, where: string): void {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype')
    throw malformed(where, `attribute key '${key}' is not allowed`);
}

/**
 * What the attributes fix must match the declared outputs: a Const's value, and the dtype and
 * shape of ops that take them as attributes (Placeholder, VariableV2, Fill, random ops, Cast).
 */
export function checkAttrsAgainstOutputs(
  type: string,
  inputs: number,
  attrs: Record<string, AttrValue>,
  outputs: readonly OutputSpec[],
  where: string,
): void {
  if (type === 'Const') {
    const value = attrs['value'];
    if (!(value instanceof NDArray))
      throw malformed(where, `a Const's value attribute must be an array ({ $ndarray }), got ${describe(value)}`);
    expectOutput(outputs, value.dtype, value.shape, where, 'its value');
    return;
  }
  const dtype = attrs['dtype'];
  if (typeof dtype === 'string' && outputs.length > 0 && outputs[0]!.dtype !== dtype) {
    throw malformed(where, `declares output dtype ${outputs[0]!.dtype}, but its dtype attribute is ${dtype}`);
  }
  const shape = attrs['shape'];
  if (inputs === 0 && Array.isArray(shape))
    expectOutput(outputs, outputs[0]?.dtype, shape as (number | null)[], where, 'its shape attribute');
}

function expectOutput(
  outputs: readonly OutputSpec[],
  dtype: DType | undefined,
  shape: readonly (number | null)[],
  where: string,
  source: string,
): void {
  const declared = outputs[0];
  const sameShape =
    declared?.shape !== null &&
    declared?.shape?.length === shape.length &&
    declared.shape.every((d, i) => d === shape[i]);
  if (outputs.length !== 1 || declared!.dtype !== dtype || !sameShape) {
    const found = outputs.map((o) => `${o.dtype}${formatShape(o.shape)}`).join(', ') || 'no outputs';
    throw malformed(where, `declares ${found}, but ${source} gives ${dtype}${formatShape(shape)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
