import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { dataTypeName, readShape, readTensor, type TensorValue } from './tensor_proto.js';

/** A decoded AttrValue: the one field it sets. */
export type AttrValueRead =
  | { s: string }
  | { i: number }
  | { f: number }
  | { b: boolean }
  | { type: string }
  | { shape: (number | null)[] | null }
  | { tensor: TensorValue }
  | { list: { s?: string[]; i?: number[]; f?: number[]; shape?: ((number | null)[] | null)[] } };

export interface NodeDefValue {
  name: string;
  op: string;
  /** Data inputs (`op`, `op:1`) then control inputs (`^op`), as in the GraphDef. */
  inputs: string[];
  attr: Record<string, AttrValueRead>;
}

export interface GraphDefValue {
  nodes: NodeDefValue[];
}

/** Decodes a serialized tensorflow.GraphDef (nodes, inputs and attrs; versions are skipped). */
export function decodeGraphDef(bytes: Uint8Array): GraphDefValue {
  const reader = new BinaryReader(bytes);
  const nodes: NodeDefValue[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) nodes.push(readNode(reader.bytes()));
    else reader.skip(wireType, field);
  }
  return { nodes };
}

function readNode(bytes: Uint8Array): NodeDefValue {
  const reader = new BinaryReader(bytes);
  const node: NodeDefValue = { name: '', op: '', inputs: [], attr: {} };
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) node.name = reader.string();
    else if (field === 2) node.op = reader.string();
    else if (field === 3) node.inputs.push(reader.string());
    else if (field === 5) {
      const entry = new BinaryReader(reader.bytes());
      let key = '';
      let value: AttrValueRead | undefined;
      while (entry.pos < entry.len) {
        const [f, w] = entry.tag();
        if (f === 1) key = entry.string();
        else if (f === 2) value = readAttr(entry.bytes());
        else entry.skip(w, f);
      }
      if (value !== undefined) node.attr[key] = value;
    } else reader.skip(wireType, field);
  }
  return node;
}

function readAttr(bytes: Uint8Array): AttrValueRead | undefined {
  const reader = new BinaryReader(bytes);
  let value: AttrValueRead | undefined;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 2) value = { s: new TextDecoder().decode(reader.bytes()) };
    else if (field === 3) value = { i: Number(reader.int64()) };
    else if (field === 4) value = { f: reader.float() };
    else if (field === 5) value = { b: reader.bool() };
    else if (field === 6) value = { type: dataTypeName(reader.int32()) };
    else if (field === 7) value = { shape: readShape(reader.bytes()) };
    else if (field === 8) value = { tensor: readTensor(reader.bytes()) };
    else if (field === 1) value = { list: readList(reader.bytes()) };
    else reader.skip(wireType, field);
  }
  return value;
}

function readList(bytes: Uint8Array): Extract<AttrValueRead, { list: unknown }>['list'] {
  const reader = new BinaryReader(bytes);
  const list: Extract<AttrValueRead, { list: unknown }>['list'] = {};
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 2) (list.s ??= []).push(new TextDecoder().decode(reader.bytes()));
    else if (field === 7) (list.shape ??= []).push(readShape(reader.bytes()));
    else if ((field === 3 || field === 4) && wireType === WireType.LengthDelimited) {
      const packed = new BinaryReader(reader.bytes());
      const target = field === 3 ? (list.i ??= []) : (list.f ??= []);
      while (packed.pos < packed.len) target.push(field === 3 ? Number(packed.int64()) : packed.float());
    } else if (field === 3) (list.i ??= []).push(Number(reader.int64()));
    else if (field === 4) (list.f ??= []).push(reader.float());
    else reader.skip(wireType, field);
  }
  return list;
}
