import { InvalidArgumentError } from '@tsflow/core';
import type { ColumnTypeName } from '@tsflow/data';

/** How a CSV field becomes a value: the parse behind each output type. */
type FieldKind = 'int' | 'float' | 'bool' | 'string' | 'date';

const KIND_OF: Record<ColumnTypeName, FieldKind> = {
  bool: 'bool',
  int8: 'int',
  int16: 'int',
  int32: 'int',
  int64: 'int',
  uint8: 'int',
  uint16: 'int',
  uint32: 'int',
  uint64: 'int',
  float32: 'float',
  float64: 'float',
  utf8: 'string',
  large_utf8: 'string',
  date32: 'date',
  date64: 'date',
  'timestamp[s]': 'date',
  'timestamp[ms]': 'date',
  'timestamp[us]': 'date',
  'timestamp[ns]': 'date',
};

/** The output type names `--schema` accepts. */
export const CSV_TYPE_NAMES = Object.keys(KIND_OF) as ColumnTypeName[];

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(nan|inf|infinity)$/i;
const BOOLEAN = /^(true|false)$/i;

/**
 * The type a column's sampled fields suggest, as DuckDB's and pandas' sniffers do: int64 when
 * every non-empty field is an integer, float64 when a number, bool for true/false, else utf8.
 * An empty field is a null and says nothing.
 */
export function sniffType(fields: readonly string[]): ColumnTypeName {
  const present = fields.filter((field) => field !== '');
  if (present.length === 0) return 'utf8';
  if (present.every((field) => INTEGER.test(field))) return 'int64';
  if (present.every((field) => DECIMAL.test(field))) return 'float64';
  if (present.every((field) => BOOLEAN.test(field))) return 'bool';
  return 'utf8';
}

/** `--schema id:int32,score:float32` → `{ id: 'int32', score: 'float32' }`. */
export function parseSchemaOption(text: string): Record<string, ColumnTypeName> {
  const out: Record<string, ColumnTypeName> = {};
  for (const item of text.split(',')) {
    const at = item.lastIndexOf(':');
    const name = item.slice(0, at).trim();
    const type = item.slice(at + 1).trim();
    if (at <= 0 || name === '')
      throw new InvalidArgumentError(
        `--schema must be a list of column:type, e.g. id:int64,score:float32; got '${item}'`,
      );
    if (!(CSV_TYPE_NAMES as string[]).includes(type))
      throw new InvalidArgumentError(
        `--schema column '${name}' has type '${type}'; expected one of ${CSV_TYPE_NAMES.join(', ')}`,
      );
    out[name] = type as ColumnTypeName;
  }
  return out;
}

/** A parser from a field's text to the value the sink checks against `type` (empty → null). */
export function fieldParser(type: ColumnTypeName, column: string): (field: string, row: number) => unknown {
  const kind = KIND_OF[type];
  return (field, row) => {
    if (field === '') return null;
    switch (kind) {
      case 'int': {
        if (!INTEGER.test(field)) throw notA(column, row, field, type);
        const number = Number(field);
        return Number.isSafeInteger(number) ? number : BigInt(field);
      }
      case 'float':
        if (!DECIMAL.test(field)) throw notA(column, row, field, type);
        return Number(/^[+-]?inf/i.test(field) ? field.replace(/inf(inity)?/i, 'Infinity') : field);
      case 'bool':
        if (!BOOLEAN.test(field)) throw notA(column, row, field, type);
        return field.toLowerCase() === 'true';
      case 'date': {
        const date = new Date(field);
        if (Number.isNaN(date.getTime())) throw notA(column, row, field, type);
        return date;
      }
      default:
        return field;
    }
  };
}

function notA(column: string, row: number, field: string, type: ColumnTypeName): InvalidArgumentError {
  return new InvalidArgumentError(
    `column '${column}' row ${row}: '${field.length > 40 ? `${field.slice(0, 40)}…` : field}' is not a ${type}; state the column's type with --schema ${column}:utf8 (or another type)`,
  );
}
