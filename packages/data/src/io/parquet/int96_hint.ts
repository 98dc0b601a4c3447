import { Field, Schema, Table, TimeUnit, Timestamp, tableToIPC } from 'apache-arrow';
import { ARROW_SCHEMA_KEY } from './arrow_schema_hint.js';
import { type ParquetFooter, skipSubtree } from './footer.js';
import { CompactType, type ThriftList, type ThriftStruct } from './thrift_compact.js';
import { field } from './thrift_fields.js';

/**
 * INT96 timestamps (Impala/Spark) hold a day number and nanoseconds of the day. Read as
 * Arrow's default Timestamp(ns), any instant outside 1677..2262 wraps silently (year 9999
 * read as 1816). Asking the decoder for microseconds (through the Arrow schema hint it
 * honours) covers ±290,000 years exactly; instants beyond what a JS Date holds are then
 * refused by name when the column is converted (arrow_columns.ts).
 * @internal
 */

const INT96 = 3;

/** Top-level INT96 columns of the file (leaves directly under the root). */
function int96Columns(footer: ParquetFooter): Set<string> {
  const schema = (field(footer.metadata, 2) as ThriftList).items as ThriftStruct[];
  const names = new Set<string>();
  let index = 1;
  for (const column of footer.columns) {
    const element = schema[index]!;
    if (element.get(1)?.value === INT96 && !element.has(5)) names.add(column.name);
    index = skipSubtree(schema, index)[0];
  }
  return names;
}

/**
 * When the file has top-level INT96 columns, rewrites the footer's Arrow schema hint (the
 * decoder's own schema `inferred`, with those columns as Timestamp(us)) and returns true.
 */
export function readInt96AsMicroseconds(footer: ParquetFooter, inferred: Schema): boolean {
  const columns = int96Columns(footer);
  if (columns.size === 0) return false;
  const fields = inferred.fields.map((f) => {
    if (!columns.has(f.name) || !(f.type instanceof Timestamp)) return f;
    return new Field(f.name, new Timestamp(TimeUnit.MICROSECOND, f.type.timezone), f.nullable, f.metadata);
  });
  const hint = Buffer.from(tableToIPC(new Table(new Schema(fields, inferred.metadata)), 'stream')).toString('base64');
  setKeyValue(footer.metadata, ARROW_SCHEMA_KEY, hint);
  return true;
}

function setKeyValue(metadata: ThriftStruct, key: string, value: string): void {
  const entry: ThriftStruct = new Map([
    [1, { type: CompactType.Binary, value: Buffer.from(key, 'utf8') }],
    [2, { type: CompactType.Binary, value: Buffer.from(value, 'utf8') }],
  ]);
  const existing = metadata.get(5)?.value as ThriftList | undefined;
  if (existing === undefined) {
    metadata.set(5, {
      type: CompactType.List,
      value: { kind: 'list', elementType: CompactType.Struct, items: [entry] },
    });
    return;
  }
  const items = existing.items as ThriftStruct[];
  const at = items.findIndex((item) => Buffer.from(field(item, 1) as Uint8Array).toString('utf8') === key);
  if (at >= 0) items[at] = entry;
  else items.push(entry);
}
