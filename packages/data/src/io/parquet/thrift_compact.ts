/**
 * A schema-less Thrift compact-protocol codec: decodes a struct into a tree that keeps every
 * field's id and wire type, and encodes such a tree back byte-for-byte. Used to rewrite Parquet
 * footers (offsets of column chunks) without knowing every field of the format.
 * @internal
 */

export enum CompactType {
  Stop = 0,
  True = 1,
  False = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Set = 10,
  Map = 11,
  Struct = 12,
}

export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftStruct | ThriftList | ThriftMap;

export interface ThriftField {
  type: CompactType;
  value: ThriftValue;
}

/** Fields by id. */
export type ThriftStruct = Map<number, ThriftField>;

export interface ThriftList {
  readonly kind: 'list';
  elementType: CompactType;
  items: ThriftValue[];
}

export interface ThriftMap {
  readonly kind: 'map';
  keyType: CompactType;
  valueType: CompactType;
  entries: [ThriftValue, ThriftValue][];
}

export class ThriftReader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  private byte(): number {
    if (this.offset >= this.bytes.length) throw new Error(`thrift data ends early at byte ${this.offset}`);
    return this.bytes[this.offset++]!;
  }

  private varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('thrift varint is too long');
    }
  }

  private zigzag(): bigint {
    const v = this.varint();
    return (v >> 1n) ^ -(v & 1n);
  }

  readStruct(): ThriftStruct {
    const fields: ThriftStruct = new Map();
    let id = 0;
    for (;;) {
      const header = this.byte();
      const type = (header & 0x0f) as CompactType;
      if (type === CompactType.Stop) return fields;
      const delta = header >> 4;
      id = delta !== 0 ? id + delta : Number(this.zigzag());
      const value = type === CompactType.True ? true : type === CompactType.False ? false : this.readValue(type);
      fields.set(id, { type, value });
    }
  }

  private readValue(type: CompactType): ThriftValue {
    switch (type) {
      case CompactType.True:
      case CompactType.False:
      case CompactType.Byte:
        return this.byte();
      case CompactType.I16:
      case CompactType.I32:
        return Number(this.zigzag());
      case CompactType.I64:
        return this.zigzag();
      case CompactType.Double: {
        const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 8);
        this.offset += 8;
        return view.getFloat64(0, true);
      }
      case CompactType.Binary: {
        const length = Number(this.varint());
        if (this.offset + length > this.bytes.length)
          throw new Error(`thrift binary of ${length} bytes runs past the end`);
        const value = this.bytes.subarray(this.offset, this.offset + length);
        this.offset += length;
        return value;
      }
      case CompactType.List:
      case CompactType.Set: {
        const header = this.byte();
        const elementType = (header & 0x0f) as CompactType;
        const size = header >> 4 === 15 ? Number(this.varint()) : header >> 4;
        const items: ThriftValue[] = [];
        for (let i = 0; i < size; i++) items.push(this.readValue(elementType));
        return { kind: 'list', elementType, items };
      }
      case CompactType.Map: {
        const size = Number(this.varint());
        if (size === 0) return { kind: 'map', keyType: CompactType.Stop, valueType: CompactType.Stop, entries: [] };
        const types = this.byte();
        const keyType = (types >> 4) as CompactType;
        const valueType = (types & 0x0f) as CompactType;
        const entries: [ThriftValue, ThriftValue][] = [];
        for (let i = 0; i < size; i++) entries.push([this.readValue(keyType), this.readValue(valueType)]);
        return { kind: 'map', keyType, valueType, entries };
      }
      case CompactType.Struct:
        return this.readStruct();
      default:
        throw new Error(`unknown thrift compact type ${type as number} at byte ${this.offset}`);
    }
  }
}

export class ThriftWriter {
  private buffer = new Uint8Array(1024);
  private length = 0;

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buffer[this.length++] = b & 0xff;
  }

  private varint(value: bigint): void {
    let v = value;
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private zigzag(value: bigint): void {
    this.varint(value >= 0n ? value << 1n : (-value << 1n) - 1n);
  }

  writeStruct(fields: ThriftStruct): void {
    let last = 0;
    for (const id of [...fields.keys()].sort((a, b) => a - b)) {
      const field = fields.get(id)!;
      const type =
        field.type === CompactType.True || field.type === CompactType.False
          ? field.value
            ? CompactType.True
            : CompactType.False
          : field.type;
      const delta = id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag(BigInt(id));
      }
      last = id;
      if (type !== CompactType.True && type !== CompactType.False) this.writeValue(type, field.value);
    }
    this.byte(CompactType.Stop);
  }

  private writeValue(type: CompactType, value: ThriftValue): void {
    switch (type) {
      case CompactType.True:
      case CompactType.False:
      case CompactType.Byte:
        this.byte(value as number);
        return;
      case CompactType.I16:
      case CompactType.I32:
        this.zigzag(BigInt(value as number));
        return;
      case CompactType.I64:
        this.zigzag(value as bigint);
        return;
      case CompactType.Double: {
        this.ensure(8);
        new DataView(this.buffer.buffer, this.length, 8).setFloat64(0, value as number, true);
        this.length += 8;
        return;
      }
      case CompactType.Binary: {
        const bytes = value as Uint8Array;
        this.varint(BigInt(bytes.length));
        this.ensure(bytes.length);
        this.buffer.set(bytes, this.length);
        this.length += bytes.length;
        return;
      }
      case CompactType.List:
      case CompactType.Set: {
        const list = value as ThriftList;
        if (list.items.length < 15) this.byte((list.items.length << 4) | list.elementType);
        else {
          this.byte(0xf0 | list.elementType);
          this.varint(BigInt(list.items.length));
        }
        for (const item of list.items) this.writeValue(list.elementType, item);
        return;
      }
      case CompactType.Map: {
        const map = value as ThriftMap;
        this.varint(BigInt(map.entries.length));
        if (map.entries.length === 0) return;
        this.byte((map.keyType << 4) | map.valueType);
        for (const [k, v] of map.entries) {
          this.writeValue(map.keyType, k);
          this.writeValue(map.valueType, v);
        }
        return;
      }
      case CompactType.Struct:
        this.writeStruct(value as ThriftStruct);
        return;
      default:
        throw new Error(`cannot write thrift compact type ${type as number}`);
    }
  }
}
