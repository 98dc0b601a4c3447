import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { type AttrValue, type Graph, NDArray, type Operation, type Tensor } from '@tsflow/core';
import { DATA_TYPE, writeShape, writeTensor } from './tensor_proto.js';

/** Constants above this many bytes keep their dtype and shape but not their values in the GraphDef. */
const MAX_INLINE_TENSOR_BYTES = 1 << 20;

/**
 * Serializes a graph as a tensorflow.GraphDef (graph.proto / node_def.proto): one NodeDef per
 * op with its scoped name, op type, inputs (`op`, `op:1`, `^control`) and attrs: the output
 * dtype (`T`/`dtype`), `_output_shapes`, and the op's own attributes in TF's snake_case.
 * This is what TensorBoard's Graphs tab reads; name scopes become its groups.
 */
export function encodeGraphDef(graph: Graph): Uint8Array {
  // Operations are immutable and the graph's version changes with every added op (sessions key
  // their plans on it too), so a graph is encoded once per version: a Trainer that fits the same
  // graph again (one fit per epoch, a resumed loop) does not re-encode it for each event file.
  const cached = encoded.get(graph);
  if (cached !== undefined && cached.version === graph.version) return cached.bytes;
  const bytes = encodeOperations(graph);
  encoded.set(graph, { version: graph.version, bytes });
  return bytes;
}

const encoded = new WeakMap<Graph, { version: number; bytes: Uint8Array }>();

function encodeOperations(graph: Graph): Uint8Array {
  const writer = new BinaryWriter();
  for (const op of graph.operations) {
    writer.tag(1, WireType.LengthDelimited).fork();
    writeNode(writer, op);
    writer.join();
  }
  // VersionDef { producer: 27 }: the producer version TF 1.x graphs carry.
  writer.tag(4, WireType.LengthDelimited).fork().tag(1, WireType.Varint).int32(27).join();
  return writer.finish();
}

function tensorInputName(tensor: Tensor): string {
  return tensor.index === 0 ? tensor.op.name : `${tensor.op.name}:${tensor.index}`;
}

function writeNode(writer: BinaryWriter, op: Operation): void {
  writer.tag(1, WireType.LengthDelimited).string(op.name);
  writer.tag(2, WireType.LengthDelimited).string(op.type);
  // tsflow's state ops name the variables they write in attrs; TF's GraphDef has them as the
  // leading (ref) inputs, which is what draws the edge from a variable to its updates.
  const refs = [op.attrs['variable'], ...(Array.isArray(op.attrs['slots']) ? op.attrs['slots'] : [])].filter(
    (r): r is string => typeof r === 'string',
  );
  for (const ref of refs) writer.tag(3, WireType.LengthDelimited).string(ref);
  for (const input of op.inputs) writer.tag(3, WireType.LengthDelimited).string(tensorInputName(input));
  for (const control of op.controlInputs) writer.tag(3, WireType.LengthDelimited).string(`^${control.name}`);
  const attrs = new Map<string, (w: BinaryWriter) => void>();
  for (const [key, value] of Object.entries(op.attrs)) {
    if (refs.length > 0 && (key === 'variable' || key === 'slots')) continue;
    const write = attrWriter(key, value);
    if (write !== undefined) attrs.set(snakeCase(key), write);
  }
  const first = op.outputs[0];
  if (first !== undefined && !attrs.has('dtype') && !attrs.has('T'))
    attrs.set('T', (w) => w.tag(6, WireType.Varint).int32(DATA_TYPE[first.dtype]));
  if (op.outputs.length > 0) {
    attrs.set('_output_shapes', (w) => {
      w.tag(1, WireType.LengthDelimited).fork();
      for (const output of op.outputs) {
        w.tag(7, WireType.LengthDelimited).fork();
        writeShape(w, output.shape);
        w.join();
      }
      w.join();
    });
  }
  // map<string, AttrValue> entries, sorted by key as TF serializes them
  for (const key of [...attrs.keys()].sort()) {
    writer.tag(5, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(key);
    writer.tag(2, WireType.LengthDelimited).fork();
    attrs.get(key)!(writer);
    writer.join().join();
  }
}

/** The AttrValue writer for one tsflow attribute, or undefined to leave it out (null). */
function attrWriter(key: string, value: AttrValue): ((w: BinaryWriter) => void) | undefined {
  if (value === null) return undefined;
  if (key === 'dtype' && typeof value === 'string' && value in DATA_TYPE) {
    return (w) => w.tag(6, WireType.Varint).int32(DATA_TYPE[value as keyof typeof DATA_TYPE]);
  }
  if (key === 'shape' && Array.isArray(value) && value.every((d) => d === null || typeof d === 'number')) {
    return (w) => {
      w.tag(7, WireType.LengthDelimited).fork();
      writeShape(w, value as (number | null)[]);
      w.join();
    };
  }
  if (value instanceof NDArray) {
    if (value.data.byteLength > MAX_INLINE_TENSOR_BYTES) return undefined;
    return (w) => {
      w.tag(8, WireType.LengthDelimited).fork();
      writeTensor(w, value);
      w.join();
    };
  }
  if (typeof value === 'boolean') return (w) => w.tag(5, WireType.Varint).bool(value);
  if (typeof value === 'number')
    return Number.isInteger(value)
      ? (w) => w.tag(3, WireType.Varint).int64(value)
      : (w) => w.tag(4, WireType.Bit32).float(value);
  if (typeof value === 'string')
    return (w) => w.tag(2, WireType.LengthDelimited).bytes(new TextEncoder().encode(value));
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return listWriter(value as number[]);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return (w) => {
      w.tag(1, WireType.LengthDelimited).fork();
      for (const s of value as string[]) w.tag(2, WireType.LengthDelimited).bytes(new TextEncoder().encode(s));
      w.join();
    };
  }
  // Anything else (nested structures) is shown as its JSON text.
  const text = JSON.stringify(value);
  return (w) => w.tag(2, WireType.LengthDelimited).bytes(new TextEncoder().encode(text));
}

/** AttrValue.ListValue of ints (`i`, field 3) or floats (`f`, field 4), packed. */
function listWriter(values: number[]): (w: BinaryWriter) => void {
  const ints = values.every(Number.isInteger);
  return (w) => {
    w.tag(1, WireType.LengthDelimited).fork();
    w.tag(ints ? 3 : 4, WireType.LengthDelimited).fork();
    for (const v of values) {
      if (ints) w.int64(v);
      else w.float(v);
    }
    w.join().join();
  };
}

/** `transposeA` → `transpose_a`, TF's attribute spelling. */
function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
