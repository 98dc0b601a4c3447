import type { ThriftList, ThriftStruct } from './thrift_compact.js';

/** Accessors over decoded Thrift structs (see thrift_compact.ts). @internal */

export function field(struct: ThriftStruct, id: number): unknown {
  const entry = struct.get(id);
  if (entry === undefined) throw new Error(`required thrift field ${id} is missing`);
  return entry.value;
}

export function listField(struct: ThriftStruct, id: number): ThriftList {
  return field(struct, id) as ThriftList;
}

/** Deep copy of the parts that get rewritten (structs and lists); byte strings are shared. */
export function cloneStruct(struct: ThriftStruct): ThriftStruct {
  const copy: ThriftStruct = new Map();
  for (const [id, { type, value }] of struct) copy.set(id, { type, value: cloneValue(value) });
  return copy;
}

/** `cloneStruct`, except that field `shared` (e.g. the row groups, left unchanged) is not copied. */
export function cloneStructExcept(struct: ThriftStruct, shared: number): ThriftStruct {
  const copy: ThriftStruct = new Map();
  for (const [id, entry] of struct)
    copy.set(id, id === shared ? entry : { type: entry.type, value: cloneValue(entry.value) });
  return copy;
}

function cloneValue(value: unknown): never {
  if (value instanceof Map) return cloneStruct(value as ThriftStruct) as never;
  if (typeof value === 'object' && value !== null && (value as ThriftList).kind === 'list') {
    const list = value as ThriftList;
    return { kind: 'list', elementType: list.elementType, items: list.items.map(cloneValue) } as never;
  }
  return value as never;
}
