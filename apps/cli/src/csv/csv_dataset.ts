import { createReadStream } from 'node:fs';
import { type Readable, type Transform, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InvalidArgumentError } from '@tsflow/core';
import { type ColumnTypeName, Dataset } from '@tsflow/data';
import { parse } from 'csv-parse';
import { fieldParser, sniffType } from './csv_types.js';

export interface CsvOptions {
  /** Types of named columns; the others are sniffed from the first `sampleRows` rows. */
  schema?: Readonly<Record<string, ColumnTypeName>>;
  sampleRows?: number;
}

/** A CSV file as a streamed Dataset of typed rows, and the column types the rows follow. */
export interface CsvSource {
  dataset: Dataset<Record<string, unknown>>;
  schema: Record<string, ColumnTypeName>;
}

/**
 * Opens a CSV (or TSV, optionally gzipped) file with a header line: the first rows are sampled
 * for column types (int64, float64, bool or utf8, unless `schema` states them), then every pass
 * streams the file through csv-parse, never holding it whole. A field that does not parse as
 * its column's type is an error naming the column and row.
 */
export async function openCsv(path: string, options: CsvOptions = {}): Promise<CsvSource> {
  const sampleRows = options.sampleRows ?? 1000;
  const sample: string[][] = [];
  for await (const record of records(path)) {
    sample.push(record);
    if (sample.length > sampleRows) break;
  }
  const header = sample[0];
  if (header === undefined)
    throw new InvalidArgumentError(`CSV file '${path}' is empty: it needs a header line naming the columns`);
  const stated = options.schema ?? {};
  for (const name of Object.keys(stated)) {
    if (!header.includes(name))
      throw new InvalidArgumentError(
        `--schema names column '${name}', which CSV file '${path}' does not have; its columns are ${header.join(', ')}`,
      );
  }
  const schema: Record<string, ColumnTypeName> = {};
  header.forEach((name, c) => {
    schema[name] = stated[name] ?? sniffType(sample.slice(1).map((record) => record[c] ?? ''));
  });
  const parsers = header.map((name) => fieldParser(schema[name]!, name));
  const dataset = Dataset.fromGenerator(async function* () {
    let row = -2; // the header is row -1
    for await (const record of records(path)) {
      if (++row < 0) continue;
      if (record.length !== header.length) {
        throw new InvalidArgumentError(
          `CSV file '${path}' row ${row} has ${record.length} fields, but the header names ${header.length} columns`,
        );
      }
      const values: Record<string, unknown> = {};
      for (let c = 0; c < header.length; c++) values[header[c]!] = parsers[c]!(record[c]!, row);
      yield values;
    }
  });
  return { dataset, schema };
}

/**
 * The file's records (arrays of fields), parsed as they stream in. One pipeline, so stopping
 * early (the sample) or failing closes the file too.
 */
function records(path: string): AsyncIterable<string[]> {
  const delimiter = /\.tsv(\.gz)?$/i.test(path) ? '\t' : ',';
  const parser = parse({ delimiter, bom: true, relax_column_count: true });
  const stages: (Readable | Transform)[] = [
    createReadStream(path),
    ...(/\.gz$/i.test(path) ? [createGunzip()] : []),
    parser,
  ];
  // Errors reach the reader through the parser, which the pipeline destroys with them.
  pipeline(stages, () => undefined);
  return parser;
}
