import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLossError } from '@tsflow/core';
import { Dataset } from '@tsflow/data';
import { failureOf, fixture } from '../fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tsflow-arrow-ipc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const iris = readFileSync(fixture('arrow', 'iris.arrow'));
// iris.arrow (written by Arrow JS): its record batch message is bytes 8..344 (metadata 8..344,
// body 344..6344: five float64/int64 columns of 150 rows), then end-of-stream and the footer
// (bytes 6352..6744, its offsets relative to its start). iris.arrows (the same as a stream): the
// schema message is bytes 0..360, the record batch's metadata 360..696, its body up to 6696.
const IRIS_FILE_METADATA = [
  [8, 344],
  [6352, 6754],
] as const;
const IRIS_STREAM_METADATA = [[0, 696]] as const;

/** iris.arrow with the byte at `position` inverted, written to a file of its own. */
function damaged(position: number, bytes: Buffer = iris): string {
  const copy = Buffer.from(bytes);
  copy.writeUInt8(copy.readUInt8(position) ^ 0xff, position);
  const path = join(dir, `damaged-${position}.arrow`);
  writeFileSync(path, copy);
  return path;
}

const read = (path: string) => Dataset.fromArrow(path).toArray();

describe('Arrow IPC metadata is validated before use', () => {
  it('a column node shorter than the batch (used to give other values silently)', async () => {
    const error = await failureOf(read(damaged(264)));
    expect(error).toBeInstanceOf(DataLossError);
    expect(error.message).toMatch(
      /Arrow IPC file '.*damaged-264\.arrow' is truncated or corrupt: record batch 0 has 150 rows, but column 0 \(sepal_length\) has 105/,
    );
  });

  it('a batch length of 10^12 (used to hang the reader) and a damaged footer', async () => {
    expect((await failureOf(read(damaged(84)))).message).toMatch(
      /record batch 0 has 1095216660630 rows, but column 0 \(sepal_length\) has 150/,
    );
    const footerError = await failureOf(read(damaged(6366)));
    expect(footerError).toBeInstanceOf(DataLossError);
    expect(footerError.message).toMatch(
      /the footer is damaged: field 3 of the footer \(bytes 247\.\.251\) lies outside its 20-byte table/,
    );
  });

  it('a footer vector length past the metadata (used to loop synchronously, blocking the process)', async () => {
    const error = await failureOf(read(damaged(6440)));
    expect(error).toBeInstanceOf(DataLossError);
    expect(error.message).toMatch(
      /the footer is damaged: the 250 elements of schema field \(bytes 92\.\.1092\) lies outside the 392-byte metadata/,
    );
  });

  it('a dictionary batch claiming 4e9 rows (used to run out of memory) names the dictionary', async () => {
    const error = await failureOf(read(damaged(187, readFileSync(fixture('arrow', 'types.arrow')))));
    expect(error).toBeInstanceOf(DataLossError);
    expect(error.message).toMatch(
      /dictionary batch 0: field 'category \(dictionary values\)' claims 4278190083 rows with 0 nulls/,
    );
  });

  it('a field name that is not valid UTF-8 (used to read as m\\ufffdgnesium), from a file and from bytes', async () => {
    const wine = readFileSync(fixture('arrow', 'wine.arrow'));
    const at = wine.indexOf('magnesium') + 1;
    const error = await failureOf(read(damaged(at, wine)));
    expect(error).toBeInstanceOf(DataLossError);
    expect(error.message).toMatch(/the schema's field name "m\uFFFDgnesium" is not valid UTF-8/);
    const fromBytes = await failureOf(Dataset.fromArrow(readFileSync(damaged(at, wine))).toArray());
    expect(fromBytes).toBeInstanceOf(DataLossError);
    expect(fromBytes.message).toMatch(
      /ArrowSource\(21610 IPC bytes\): the bytes are not a valid Arrow IPC file or stream: .*"m\uFFFDgnesium" is not valid UTF-8/,
    );
  });

  it.each([
    ['iris.arrow', IRIS_FILE_METADATA, 3],
    ['iris.arrows', IRIS_STREAM_METADATA, 5],
  ] as const)(
    'no single-byte damage of the metadata of %s gives values silently or raw engine text',
    async (file, ranges, step) => {
      const bytes = readFileSync(fixture('arrow', file));
      const original = JSON.stringify(await read(fixture('arrow', file)));
      for (const position of positionsIn(ranges, step)) {
        let outcome: string;
        try {
          const rows = JSON.stringify(await read(damaged(position, bytes)));
          // Padding and unused bytes change nothing; anything else must be refused.
          outcome = rows === original ? 'same' : 'silently different values';
        } catch (error) {
          outcome =
            error instanceof DataLossError && !RAW_TEXT.test((error as Error).message)
              ? 'refused'
              : `${(error as Error).name}: ${(error as Error).message}`;
        }
        expect([position, outcome]).toEqual([position, expect.stringMatching(/^(same|refused)$/)]);
      }
    },
  );
});

const RAW_TEXT =
  /Cannot read properties|Cannot destructure|Invalid typed array length|is not a function|undefined|Unrecognized type/;

/** Every `step`-th byte of the given byte ranges. */
function positionsIn(ranges: readonly (readonly [number, number])[], step: number): number[] {
  const positions: number[] = [];
  for (const [from, to] of ranges) for (let p = from; p < to; p += step) positions.push(p);
  return positions;
}
