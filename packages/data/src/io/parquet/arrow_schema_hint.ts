import { Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';

/**
 * Parquet writers from the Arrow world (pyarrow, arrow-rs, parquet-wasm) store the Arrow schema
 * in the footer's `ARROW:schema` key (base64 of an IPC schema message); readers use it to
 * restore fixed-size lists, dictionaries and timezones. When a row group file keeps only some
 * columns, that schema must list the same columns, or the reader rejects it.
 * @internal
 */
export const ARROW_SCHEMA_KEY = 'ARROW:schema';

export function projectArrowSchemaHint(base64: string, keep: readonly string[]): string {
  const schema = tableFromIPC(Buffer.from(base64, 'base64')).schema;
  const fields = schema.fields.filter((field) => keep.includes(field.name));
  const projected = new Schema(fields, schema.metadata);
  const message = tableToIPC(new Table(projected), 'stream');
  return Buffer.from(message).toString('base64');
}
