import { FlatbufferVerifier, type FlatTable } from './flatbuffer_verifier.js';

/**
 * Verifies Arrow IPC metadata (the FlatBuffers of `Schema.fbs`, `Message.fbs`, `File.fbs`)
 * before Arrow JS decodes it: every offset and length inside the metadata, field names valid
 * UTF-8. Field indices are those of the Arrow format's schema files (a union takes two
 * slots: its type byte, then its table). Throws an Error saying what is wrong.
 * @internal
 */

const BLOCK_BYTES = 24; // File.fbs struct Block { offset: long; metaDataLength: int; bodyLength: long }
const FIELD_NODE_BYTES = 16; // Message.fbs struct FieldNode { length: long; null_count: long }
const BUFFER_BYTES = 16; // Schema.fbs struct Buffer { offset: long; length: long }

/** Message header kinds (MessageHeader union of Message.fbs). */
const HEADER_SCHEMA = 1;
const HEADER_DICTIONARY_BATCH = 2;
const HEADER_RECORD_BATCH = 3;

/** Highest member of Schema.fbs's `Type` union (LargeListView). */
const LAST_TYPE = 26;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The footer of an IPC file: its schema and the blocks of its batches. */
export function verifyFooter(bytes: Uint8Array): void {
  const verifier = new FlatbufferVerifier(bytes);
  const footer = verifier.root('the footer');
  footer.field(0, 2);
  const schema = footer.table(1, 'the footer schema');
  if (schema !== undefined) verifySchema(schema);
  footer.vector(2, BLOCK_BYTES, 'the dictionary block list');
  footer.vector(3, BLOCK_BYTES, 'the record batch block list');
  verifyKeyValues(footer, 4);
}

/** One message (schema, record batch or dictionary batch); returns its header type. */
export function verifyMessage(bytes: Uint8Array): number {
  const verifier = new FlatbufferVerifier(bytes);
  const message = verifier.root('the message');
  message.field(0, 2);
  const headerType = message.u8(1) ?? 0;
  message.field(3, 8);
  verifyKeyValues(message, 4);
  const header = message.table(2, 'the message header');
  if (header === undefined) return headerType;
  if (headerType === HEADER_SCHEMA) verifySchema(header);
  else if (headerType === HEADER_RECORD_BATCH) verifyRecordBatch(header);
  else if (headerType === HEADER_DICTIONARY_BATCH) {
    header.field(0, 8);
    header.bool(2, 'the isDelta flag of the dictionary batch');
    const data = header.table(1, 'the dictionary batch data');
    if (data !== undefined) verifyRecordBatch(data);
  }
  return headerType;
}

function verifySchema(schema: FlatTable): void {
  const endianness = schema.int(0, 2, 0);
  if (endianness !== 0)
    throw new Error(`the schema declares endianness ${endianness}; only little-endian (0) Arrow data can be read`);
  for (const field of schema.tables(1, 'schema field')) verifyField(field, '');
  verifyKeyValues(schema, 2);
  schema.vector(3, 8, 'the schema features');
}

function verifyField(field: FlatTable, parent: string): void {
  const nameBytes = field.string(0, `the name of ${field.what}`);
  // Every Arrow writer stores a name (possibly empty); a missing one is a damaged vtable.
  if (nameBytes === undefined)
    throw new Error(`${field.what}${parent === '' ? '' : ` of '${parent.slice(0, -1)}'`} has no name`);
  const name = parent + decodeName(nameBytes, parent);
  field.bool(1, `the nullable flag of field '${name}'`);
  const typeId = field.u8(2) ?? 0;
  if (typeId < 1 || typeId > LAST_TYPE)
    throw new Error(`field '${name}' has type id ${typeId}, which is no Arrow type (1..${LAST_TYPE})`);
  const type = field.table(3, `the type of field '${name}'`);
  if (type !== undefined) verifyType(type, typeId, name);
  const dictionary = field.table(4, `the dictionary encoding of field '${name}'`);
  if (dictionary !== undefined) {
    dictionary.field(0, 8);
    const indexType = dictionary.table(1, `the dictionary index type of field '${name}'`);
    if (indexType !== undefined) verifyType(indexType, 2, `${name} (dictionary indices)`);
    dictionary.bool(2, `the isOrdered flag of field '${name}'`);
    dictionary.field(3, 2);
  }
  for (const child of field.tables(5, `child field of '${name}'`)) verifyField(child, `${name}.`);
  verifyKeyValues(field, 6);
}

function decodeName(bytes: Uint8Array, parent: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const shown = new TextDecoder('utf-8').decode(bytes);
    throw new Error(`the schema's field name ${JSON.stringify(parent + shown)} is not valid UTF-8`);
  }
}

/**
 * The enumerations and sizes of a type's table (Schema.fbs), each with its default: an
 * out-of-range value would make Arrow JS pick another type (a damaged precision byte read
 * doubles as float16) or fail deep inside.
 */
const TYPE_RULES: Record<
  number,
  [name: string, index: number, size: 1 | 2 | 4, fallback: number, allowed: readonly number[] | 'non-negative'][]
> = {
  2: [['bit width', 0, 4, 0, [8, 16, 32, 64]]],
  3: [['precision', 0, 2, 0, [0, 1, 2]]],
  7: [['bit width', 2, 4, 128, [32, 64, 128, 256]]],
  8: [['unit', 0, 2, 1, [0, 1]]],
  9: [
    ['unit', 0, 2, 1, [0, 1, 2, 3]],
    ['bit width', 1, 4, 32, [32, 64]],
  ],
  10: [['unit', 0, 2, 0, [0, 1, 2, 3]]],
  11: [['unit', 0, 2, 0, [0, 1, 2]]],
  14: [['mode', 0, 2, 0, [0, 1]]],
  15: [['byte width', 0, 4, 0, 'non-negative']],
  16: [['list size', 0, 4, 0, 'non-negative']],
  18: [['unit', 0, 2, 1, [0, 1, 2, 3]]],
};

function verifyType(type: FlatTable, typeId: number, name: string): void {
  for (const [rule, index, size, fallback, allowed] of TYPE_RULES[typeId] ?? []) {
    const value = type.int(index, size, fallback);
    const ok = allowed === 'non-negative' ? value >= 0 : allowed.includes(value);
    if (!ok)
      throw new Error(
        `field '${name}' has a type whose ${rule} is ${value} (allowed: ${allowed === 'non-negative' ? '0 or more' : allowed.join(', ')})`,
      );
  }
  if (typeId === 2) type.bool(1, `the signedness of field '${name}'`);
  if (typeId === 17) type.bool(0, `the keysSorted flag of field '${name}'`);
  if (typeId === 10) type.string(1, 'a timestamp time zone');
  if (typeId === 14) type.vector(1, 4, 'the type ids of a union');
}

function verifyRecordBatch(batch: FlatTable): void {
  batch.field(0, 8);
  batch.vector(1, FIELD_NODE_BYTES, 'the field nodes');
  batch.vector(2, BUFFER_BYTES, 'the buffer list');
  batch.table(3, 'the body compression');
  batch.vector(4, 8, 'the variadic buffer counts');
}

function verifyKeyValues(owner: FlatTable, index: number): void {
  for (const pair of owner.tables(index, 'custom metadata entry')) {
    pair.string(0, `the key of ${pair.what}`);
    pair.string(1, `the value of ${pair.what}`);
  }
}
