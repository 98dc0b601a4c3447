import { type Data, type RecordBatch, Type } from 'apache-arrow';

/**
 * Structural checks of a decoded Arrow record batch before its values are used: every column
 * has the batch's length, and every buffer is long enough for the rows it claims (validity
 * bits, values, offsets within the value buffer, list offsets within the child, dictionary
 * indices within the dictionary). Arrow JS itself trusts the metadata and would read past a
 * short buffer (NaN, undefined) or build arrays of the wrong size. Returns a description of
 * the first problem, or undefined.
 * @internal
 */
export function recordBatchProblem(batch: RecordBatch): string | undefined {
  const fields = batch.schema.fields;
  const columns = batch.data.children;
  if (columns.length !== fields.length) return `it has ${columns.length} columns, its schema ${fields.length}`;
  for (let i = 0; i < columns.length; i++) {
    const data = columns[i]!;
    const name = fields[i]!.name;
    if (data.length !== batch.numRows) return `column '${name}' has ${data.length} rows, the batch ${batch.numRows}`;
    const problem = dataProblem(data, 0);
    if (problem !== undefined) return `column '${name}': ${problem}`;
  }
  return undefined;
}

const MAX_DEPTH = 64;

function dataProblem(data: Data, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return 'its type is nested too deeply';
  // A sliced Data (Arrow JS's Data.slice) keeps its validity bitmap (and a Bool's bits) whole,
  // read from bit `offset`; offsets, fixed-width values and struct children are cut to the slice.
  const rows = data.length;
  if (data.length < 0 || data.offset < 0) return `it claims ${data.length} rows at offset ${data.offset}`;
  const bits = data.offset + data.length;
  if (data.nullBitmap !== undefined && data.nullBitmap.length > 0 && data.nullBitmap.length * 8 < bits) {
    return `its validity bitmap covers ${data.nullBitmap.length * 8} rows, it claims ${bits}`;
  }
  switch (data.typeId) {
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary:
      return offsetsProblem(data, rows, data.values?.length ?? 0, 'bytes');
    case Type.List:
    case Type.LargeList:
    case Type.Map:
      return offsetsProblem(data, rows, data.children[0]?.length ?? 0, 'child values') ?? childProblem(data, depth);
    case Type.FixedSizeList: {
      const size = (data.type as unknown as { listSize: number }).listSize;
      const child = data.children[0];
      if (child === undefined || child.length < rows * size)
        return `its ${rows} lists of ${size} need ${rows * size} child values, it has ${child?.length ?? 0}`;
      return childProblem(data, depth);
    }
    case Type.Struct:
      for (const child of data.children)
        if (child.length < rows) return `a struct field has ${child.length} rows, the struct ${rows}`;
      return childProblem(data, depth);
    case Type.Dictionary:
      return valuesProblem(data, rows) ?? indicesProblem(data);
    case Type.Null:
      return undefined;
    default:
      return data.values === undefined ? undefined : valuesProblem(data, rows);
  }
}

function valuesProblem(data: Data, rows: number): string | undefined {
  const values = data.values as ArrayLike<unknown> | undefined;
  if (values === undefined) return undefined;
  const needed = data.typeId === Type.Bool ? Math.ceil((data.offset + rows) / 8) : rows * data.stride;
  return values.length < needed
    ? `its value buffer holds ${values.length} values, ${rows} rows need ${needed}`
    : undefined;
}

function offsetsProblem(data: Data, rows: number, available: number, unit: string): string | undefined {
  const offsets = data.valueOffsets as ArrayLike<number | bigint> | undefined;
  if (offsets === undefined || offsets.length < rows + 1)
    return `its offsets buffer holds ${offsets?.length ?? 0} offsets, ${rows} rows need ${rows + 1}`;
  let previous = Number(offsets[0]!);
  if (previous < 0) return `its first offset is ${previous}`;
  for (let i = 1; i <= rows; i++) {
    const next = Number(offsets[i]!);
    if (next < previous) return `its offsets decrease at row ${i - 1} (${previous} then ${next})`;
    previous = next;
  }
  return previous > available ? `its last offset is ${previous}, but there are ${available} ${unit}` : undefined;
}

function indicesProblem(data: Data): string | undefined {
  const size = data.dictionary?.length ?? 0;
  const indices = data.values as ArrayLike<number | bigint>;
  for (let i = 0; i < data.length; i++) {
    const index = Number(indices[i]!);
    if (index < 0 || index >= size) {
      const bit = data.offset + i;
      const valid =
        data.nullBitmap === undefined ||
        data.nullBitmap.length === 0 ||
        (data.nullBitmap[bit >> 3]! & (1 << (bit & 7))) !== 0;
      if (valid) return `row ${i} points at dictionary entry ${index}, the dictionary has ${size}`;
    }
  }
  return undefined;
}

function childProblem(data: Data, depth: number): string | undefined {
  for (const child of data.children) {
    const problem = dataProblem(child, depth + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
