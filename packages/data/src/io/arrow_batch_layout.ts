import { type DataType, type Field, type Schema, Type } from 'apache-arrow';

/**
 * What a record batch (or dictionary batch) of a schema must describe in its metadata: one
 * field node per flattened field and a known number of buffers per node, each buffer long
 * enough for the rows its node claims. A length that its buffers cannot hold is damage
 * (a flipped high byte turns 150 rows into 10^12, which Arrow JS would try to allocate).
 * @internal
 */

interface NodeSpec {
  field: string;
  type: DataType;
  /** Buffers of this node, or undefined when a type's count varies (unions, views). */
  buffers: number | undefined;
}

export interface Layout {
  nodes: NodeSpec[];
  /** Node index of each top-level column: its length must be the batch's. */
  topLevel: number[];
}

export interface BatchHeader {
  length: number;
  nodes: { length: number; nullCount: number }[];
  buffers: { offset: number; length: number }[];
  compression: unknown;
}

/** Field nodes and buffers a record batch of `schema` has (IPC format, flattened fields). */
export function expectedLayout(schema: Schema): Layout {
  return layoutOf(schema.fields.map((field) => [field.name, field.type]));
}

/** The layout of each dictionary batch of `schema`, by dictionary id. */
export function dictionaryLayouts(schema: Schema): Map<number, Layout> {
  const layouts = new Map<number, Layout>();
  const visit = (name: string, type: DataType): void => {
    const dictionary = type as DataType & { id?: number; dictionary?: DataType };
    if (type.typeId === Type.Dictionary && dictionary.id !== undefined && dictionary.dictionary !== undefined) {
      layouts.set(dictionary.id, layoutOf([[`${name} (dictionary values)`, dictionary.dictionary]]));
    }
    for (const child of (type.children ?? []) as Field[]) visit(`${name}.${child.name}`, child.type);
  };
  for (const field of schema.fields) visit(field.name, field.type);
  return layouts;
}

function layoutOf(columns: [string, DataType][]): Layout {
  const layout: Layout = { nodes: [], topLevel: [] };
  const visit = (name: string, type: DataType): void => {
    layout.nodes.push({ field: name, type, buffers: buffersOf(type) });
    for (const child of (type.children ?? []) as Field[]) visit(`${name}.${child.name}`, child.type);
  };
  for (const [name, type] of columns) {
    layout.topLevel.push(layout.nodes.length);
    visit(name, type);
  }
  return layout;
}

function buffersOf(type: DataType): number | undefined {
  switch (type.typeId) {
    case Type.Null:
      return 0;
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary:
      return 3;
    case Type.Struct:
    case Type.FixedSizeList:
      return 1;
    case Type.Union:
    case Type.DenseUnion:
    case Type.SparseUnion:
    case Type.BinaryView:
    case Type.Utf8View:
      return undefined;
    default:
      return 2; // validity + data/offsets (dictionaries: their index type)
  }
}

/** The first way the batch's nodes and buffers contradict the layout, or undefined. */
export function layoutProblem(header: BatchHeader, layout: Layout): string | undefined {
  if (header.nodes.length !== layout.nodes.length)
    return `it describes ${header.nodes.length} field nodes, the schema has ${layout.nodes.length}`;
  const needed = layout.nodes.every((node) => node.buffers !== undefined)
    ? layout.nodes.reduce((sum, node) => sum + node.buffers!, 0)
    : undefined;
  if (needed !== undefined && header.buffers.length !== needed)
    return `it describes ${header.buffers.length} buffers, the schema needs ${needed}`;
  for (const [column, node] of layout.topLevel.entries()) {
    const length = header.nodes[node]!.length;
    if (length !== header.length)
      return `it has ${header.length} rows, but column ${column} (${layout.nodes[node]!.field}) has ${length}`;
  }
  // Compressed buffers are smaller than their rows; their sizes are checked after decoding.
  if (header.compression !== null && header.compression !== undefined) return undefined;
  let buffer = 0;
  for (const [i, spec] of layout.nodes.entries()) {
    if (spec.buffers === undefined) break; // the buffer positions of later nodes are unknown
    const node = header.nodes[i]!;
    const sizes = header.buffers.slice(buffer, buffer + spec.buffers).map((region) => region.length);
    buffer += spec.buffers;
    const problem = nodeBufferProblem(spec.type, node.length, node.nullCount, sizes);
    if (problem !== undefined) return `field '${spec.field}' claims ${node.length} rows, but ${problem}`;
  }
  return undefined;
}

function nodeBufferProblem(type: DataType, rows: number, nulls: number, sizes: number[]): string | undefined {
  if (type.typeId === Type.Null) return undefined;
  if (nulls > 0 && (sizes[0] ?? 0) < Math.ceil(rows / 8))
    return `its validity bitmap holds ${sizes[0]} bytes, ${rows} rows need ${Math.ceil(rows / 8)}`;
  const second = sizes[1] ?? 0;
  const need = (bytes: number, what: string) =>
    second < bytes ? `its ${what} buffer holds ${second} bytes, ${rows} rows need ${bytes}` : undefined;
  switch (type.typeId) {
    case Type.Utf8:
    case Type.Binary:
    case Type.List:
    case Type.Map:
      return need(rows === 0 ? 0 : (rows + 1) * 4, 'offsets');
    case Type.LargeUtf8:
    case Type.LargeBinary:
    case Type.LargeList:
      return need(rows === 0 ? 0 : (rows + 1) * 8, 'offsets');
    case Type.Bool:
      return need(Math.ceil(rows / 8), 'value');
    default: {
      const width = byteWidth(type);
      return width === undefined ? undefined : need(rows * width, 'value');
    }
  }
}

/** Bytes per value of a fixed-width type (dictionaries: their indices). */
function byteWidth(type: DataType): number | undefined {
  const t = type as DataType & {
    bitWidth?: number;
    precision?: number;
    unit?: number;
    byteWidth?: number;
    indices?: DataType;
  };
  switch (type.typeId) {
    case Type.Dictionary:
      return t.indices === undefined ? undefined : byteWidth(t.indices);
    case Type.Int:
    case Type.Decimal:
    case Type.Time:
      return t.bitWidth! / 8;
    case Type.Float:
      return [2, 4, 8][t.precision!];
    case Type.Date:
      return t.unit === 0 ? 4 : 8;
    case Type.Timestamp:
    case Type.Duration:
      return 8;
    case Type.Interval:
      return [4, 8, 16][t.unit!];
    case Type.FixedSizeBinary:
      return t.byteWidth;
    default:
      return undefined;
  }
}
