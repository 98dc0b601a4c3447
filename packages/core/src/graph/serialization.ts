import { InvalidArgumentError } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import type { Graph } from './graph.js';
import type { AttrValue, Attrs, Operation } from './operation.js';
import {
  checkAttrDepth,
  checkAttrKey,
  checkAttrsAgainstOutputs,
  checkOperationFields,
  decodeNDArray,
} from './json_checks.js';
import type { Tensor } from './tensor.js';

export interface GraphJSON {
  format: 'tsflow-graph';
  version: 1;
  seed?: number;
  operations: OperationJSON[];
  collections: Record<string, unknown[]>;
}

export interface OperationJSON {
  name: string;
  type: string;
  inputs: string[];
  controlInputs: string[];
  attrs: Record<string, unknown>;
  outputs: { dtype: string; shape: (number | null)[] | null }[];
}

/** Turns collection items (e.g. Variables) into JSON and back. */
export interface CollectionCodec {
  encode(item: unknown): unknown;
  decode(json: unknown, graph: Graph): unknown;
}

const collectionCodecs = new Map<string, CollectionCodec>();

/** @internal */
export function registerCollectionCodec(key: string, codec: CollectionCodec): void {
  collectionCodecs.set(key, codec);
}

export function graphToJSON(graph: Graph): GraphJSON {
  const collections: Record<string, unknown[]> = {};
  for (const key of graph.collectionKeys) {
    const codec = collectionCodecs.get(key);
    if (codec) collections[key] = graph.getCollection(key).map((item) => codec.encode(item));
  }
  const json: GraphJSON = {
    format: 'tsflow-graph',
    version: 1,
    operations: graph.operations.map(operationToJSON),
    collections,
  };
  if (graph.seed !== undefined) json.seed = graph.seed;
  return json;
}

function operationToJSON(op: Operation): OperationJSON {
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op.attrs)) attrs[k] = encodeAttr(v);
  return {
    name: op.name,
    type: op.type,
    inputs: op.inputs.map((t) => t.name),
    controlInputs: op.controlInputs.map((c) => c.name),
    attrs,
    outputs: op.outputs.map((t) => ({ dtype: t.dtype, shape: t.shape === null ? null : t.shape.slice() })),
  };
}

function encodeAttr(value: AttrValue): unknown {
  if (value instanceof NDArray) {
    const bytes = new Uint8Array(value.data.buffer, value.data.byteOffset, value.data.byteLength);
    return {
      $ndarray: { dtype: value.dtype, shape: value.shape.slice(), base64: Buffer.from(bytes).toString('base64') },
    };
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  if (Array.isArray(value)) return value.map(encodeAttr);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeAttr(v as AttrValue);
    return out;
  }
  return value;
}

function decodeAttr(value: unknown, where: string, depth = 0): AttrValue {
  checkAttrDepth(depth, where);
  if (Array.isArray(value)) return value.map((v) => decodeAttr(v, where, depth + 1));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('$ndarray' in record) return decodeNDArray(record['$ndarray'], where);
    if ('$number' in record) return decodeNonFinite(record['$number'], where);
    const out: Record<string, AttrValue> = {};
    for (const [k, v] of Object.entries(record)) {
      checkAttrKey(k, where);
      out[k] = decodeAttr(v, where, depth + 1);
    }
    return out;
  }
  if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) return value as AttrValue;
  throw new InvalidArgumentError(`Graph.fromJSON: unsupported attribute value of type ${typeof value} in ${where}`);
}

function decodeNonFinite(raw: unknown, where: string): number {
  if (raw === 'NaN') return Number.NaN;
  if (raw === 'Infinity') return Number.POSITIVE_INFINITY;
  if (raw === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new InvalidArgumentError(`Graph.fromJSON: malformed number attribute ${JSON.stringify(raw)} in ${where}`);
}

/**
 * Rebuilds a graph from `graphToJSON` output into `graph` (a new, empty one), through Graph's
 * public builder methods (`addOperation`, `addToCollection`). Taking the graph instead of creating
 * it keeps this module from importing graph.ts at run time (graph.ts imports this one). Only data
 * is read; no code is evaluated.
 */
export function graphFromJSON(json: unknown, graph: Graph): Graph {
  const doc = json as Partial<GraphJSON>;
  if (doc?.format !== 'tsflow-graph' || doc.version !== 1 || !Array.isArray(doc.operations)) {
    throw new InvalidArgumentError(`Graph.fromJSON: not a tsflow graph (expected format 'tsflow-graph', version 1)`);
  }
  if (typeof doc.seed === 'number') graph.seed = doc.seed;
  for (const [i, raw] of doc.operations.entries()) {
    const where = `operation ${i} ('${String((raw as { name?: unknown } | null)?.name)}')`;
    const fields = checkOperationFields(raw, where);
    const inputs: Tensor[] = fields.inputs.map((name) => graph.getTensor(name));
    const controlInputs = fields.controlInputs.map((name) => graph.getOperation(name));
    const attrs: Record<string, AttrValue> = {};
    for (const [k, v] of Object.entries(fields.attrs)) {
      checkAttrKey(k, where);
      attrs[k] = decodeAttr(v, where);
    }
    checkAttrsAgainstOutputs(fields.type, inputs.length, attrs, fields.outputs, where);
    graph.addOperation({
      type: fields.type,
      name: fields.name,
      exactName: true,
      inputs,
      controlInputs,
      attrs: attrs as Attrs,
      outputs: fields.outputs,
    });
  }
  for (const [key, items] of Object.entries(doc.collections ?? {})) {
    const codec = collectionCodecs.get(key);
    if (!codec || !Array.isArray(items)) continue;
    for (const item of items) graph.addToCollection(key, codec.decode(item, graph));
  }
  return graph;
}
