import { assertDType } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { Graph } from './graph.js';
import type { AttrValue, Attrs, Operation, OutputSpec } from './operation.js';
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
    return { $ndarray: { dtype: value.dtype, shape: value.shape.slice(), base64: Buffer.from(bytes).toString('base64') } };
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

function decodeAttr(value: unknown, where: string): AttrValue {
  if (Array.isArray(value)) return value.map((v) => decodeAttr(v, where));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('$ndarray' in record) return decodeNDArray(record['$ndarray'], where);
    if ('$number' in record) return decodeNonFinite(record['$number'], where);
    const out: Record<string, AttrValue> = {};
    for (const [k, v] of Object.entries(record)) out[k] = decodeAttr(v, where);
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

function decodeNDArray(raw: unknown, where: string): NDArray {
  const spec = raw as { dtype?: unknown; shape?: unknown; base64?: unknown };
  const dtype = assertDType(spec?.dtype, `Graph.fromJSON ${where}`);
  if (!Array.isArray(spec.shape) || typeof spec.base64 !== 'string') {
    throw new InvalidArgumentError(`Graph.fromJSON: malformed array attribute in ${where}`);
  }
  const bytes = Buffer.from(spec.base64, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const data =
    dtype === 'float32' ? new Float32Array(copy.buffer) : dtype === 'int32' ? new Int32Array(copy.buffer) : copy;
  return new NDArray(dtype, spec.shape as number[], data);
}

/** Rebuilds a graph from `graphToJSON` output. Only data is read; no code is evaluated. */
export function graphFromJSON(json: unknown): Graph {
  const doc = json as Partial<GraphJSON>;
  if (!doc || doc.format !== 'tsflow-graph' || doc.version !== 1 || !Array.isArray(doc.operations)) {
    throw new InvalidArgumentError(`Graph.fromJSON: not a tsflow graph (expected format 'tsflow-graph', version 1)`);
  }
  const graph = new Graph();
  if (typeof doc.seed === 'number') graph.seed = doc.seed;
  for (const [i, raw] of doc.operations.entries()) {
    const where = `operation ${i} ('${String(raw?.name)}')`;
    if (!raw || typeof raw.name !== 'string' || typeof raw.type !== 'string' || !Array.isArray(raw.inputs) || !Array.isArray(raw.outputs)) {
      throw new InvalidArgumentError(`Graph.fromJSON: malformed ${where}`);
    }
    const inputs: Tensor[] = raw.inputs.map((name) => graph.getTensor(String(name)));
    const controlInputs = (raw.controlInputs ?? []).map((name) => graph.getOperation(String(name)));
    const attrs: Record<string, AttrValue> = {};
    for (const [k, v] of Object.entries(raw.attrs ?? {})) attrs[k] = decodeAttr(v, where);
    const outputs: OutputSpec[] = raw.outputs.map((o) => ({ dtype: assertDType(o.dtype, `Graph.fromJSON ${where}`), shape: o.shape }));
    graph.addOperation({ type: raw.type, name: raw.name, exactName: true, inputs, controlInputs, attrs: attrs as Attrs, outputs });
  }
  for (const [key, items] of Object.entries(doc.collections ?? {})) {
    const codec = collectionCodecs.get(key);
    if (!codec || !Array.isArray(items)) continue;
    for (const item of items) graph.addToCollection(key, codec.decode(item, graph));
  }
  return graph;
}
