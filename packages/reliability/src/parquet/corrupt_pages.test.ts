import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLossError, InvalidArgumentError, ResourceExhaustedError, UnimplementedError } from '@tsflow/core';
import { Dataset } from '@tsflow/data';
import { failureOf, parquetTesting } from '../fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tsflow-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (path: string, options: Parameters<typeof Dataset.fromParquet>[1] = {}) =>
  Dataset.fromParquet(path, options).toArray();

describe('Parquet page checksums (corrupt data never comes back as values)', () => {
  it('a data page whose CRC does not match is a DataLossError naming file, row group, column and page', async () => {
    const error = await failureOf(read(parquetTesting('datapage_v1-corrupt-checksum.parquet')));
    expect(error).toBeInstanceOf(DataLossError);
    expect(error.message).toMatch(
      /Parquet file '.*datapage_v1-corrupt-checksum\.parquet' row group 0, column 'a', page 0: checksum mismatch in the data page \(stored CRC 0x[0-9a-f]{8}, the data hashes to 0x[0-9a-f]{8}\)/,
    );
    // Column b's bad page is the second one.
    const second = await failureOf(read(parquetTesting('datapage_v1-corrupt-checksum.parquet'), { columns: ['b'] }));
    expect(second.message).toMatch(/row group 0, column 'b', page 1: checksum mismatch in the data page/);
  });

  it('a dictionary page whose CRC does not match is refused too', async () => {
    const error = await failureOf(read(parquetTesting('rle-dict-uncompressed-corrupt-checksum.parquet')));
    expect(error).toBeInstanceOf(DataLossError);
    expect(error.message).toMatch(/column 'long_field', page 0: checksum mismatch in the dictionary page/);
  });

  it('one flipped byte in a checksummed page is caught (the file read fine before the flip)', async () => {
    const original = parquetTesting('plain-dict-uncompressed-checksum.parquet');
    expect(await read(original)).toHaveLength(1000);
    const bytes = readFileSync(original);
    const damaged = join(dir, 'flipped.parquet');
    bytes.writeUInt8(bytes.readUInt8(4 + 19 + 2) ^ 0x01, 4 + 19 + 2); // the first column's dictionary page: a 19-byte header, then 8 bytes of data
    writeFileSync(damaged, bytes);
    const error = await failureOf(read(damaged));
    expect(error).toBeInstanceOf(DataLossError);
    expect(error.message).toMatch(/column 'long_field', page 0: checksum mismatch/);
  });

  it('verifyChecksums: false is the documented way to read such a file anyway', async () => {
    const rows = await read(parquetTesting('datapage_v1-corrupt-checksum.parquet'), { verifyChecksums: false });
    expect(rows).toHaveLength(5120);
    expect(() =>
      Dataset.fromParquet(parquetTesting('datapage_v1-corrupt-checksum.parquet'), { verifyChecksums: 'no' as never }),
    ).toThrow(/fromParquet: verifyChecksums must be true or false, got "no"/);
  });
});

describe('Parquet size limits (refused before decoding)', () => {
  it('large_string_map.brotli.parquet (4 KB, 2 GiB decompressed) is a ResourceExhaustedError, not 3 GB of WASM memory', async () => {
    const before = process.memoryUsage().rss;
    const error = await failureOf(read(parquetTesting('large_string_map.brotli.parquet')));
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect(error.message).toMatch(
      /row group 0, column 'arr\.key_value\.key': the column chunk decompresses to 2\.0 GiB \(2147483749 bytes\), above the limit maxColumnChunkBytes = 1073741824 bytes; nothing was decoded/,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 2 ** 20);
  });

  it('the limits are options: a page above maxPageBytes is refused, naming the page and the option', async () => {
    const path = parquetTesting('datapage_v1-uncompressed-checksum.parquet');
    const error = await failureOf(read(path, { maxPageBytes: 10_000 }));
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect(error.message).toMatch(
      /column 'a', page 0: the data page decompresses to 10240 bytes \(10240 bytes\), above the limit maxPageBytes = 10000 bytes/,
    );
    expect(() => Dataset.fromParquet(path, { maxColumnChunkBytes: 0 })).toThrow(
      /fromParquet: maxColumnChunkBytes must be a positive integer \(bytes\), got 0/,
    );
    expect(await read(path, { maxPageBytes: 10_240 })).toHaveLength(5120);
  });
});

describe('honest messages and valid files', () => {
  it('encrypted columns under a plaintext footer: says encrypted, names them, and the other columns read', async () => {
    const path = parquetTesting('encrypt_columns_plaintext_footer.parquet.encrypted');
    const error = await failureOf(read(path));
    expect(error).toBeInstanceOf(UnimplementedError);
    expect(error.message).toMatch(
      /is encrypted \(Parquet modular encryption, plaintext footer\): columns 'float_field', 'double_field' are encrypted, and tsflow does not decrypt/,
    );
    const rows = await read(path, { columns: ['int32_field'] });
    expect(rows.map((row) => row.int32_field)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('an encrypted footer (PARE) says encrypted', async () => {
    await expect(read(parquetTesting('uniform_encryption.parquet.encrypted'))).rejects.toThrow(/is encrypted \(PARE\)/);
  });

  it('reads the three valid files pyarrow reads that were reported as corrupt', async () => {
    expect(await read(parquetTesting('column_chunk_key_value_metadata.parquet'))).toEqual([]);
    const partkeys = (await read(parquetTesting('dict-page-offset-zero.parquet'))).map((row) => row.l_partkey);
    expect(partkeys).toEqual(Array(39).fill(1552));
    // Written by an old parquet-mr that left the dictionary page header out of the chunk sizes.
    const nations = await read(parquetTesting('nation.dict-malformed.parquet'), {
      columns: ['nation_key', 'region_key'],
    });
    expect(nations.map((row) => row.nation_key)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const names = await read(parquetTesting('nation.dict-malformed.parquet'), { columns: ['name'] });
    expect(Buffer.from(names[0]!.name as Uint8Array).toString()).toBe('ALGERIA');
  });
});

describe('INT96 timestamps', () => {
  it('reads instants outside int64 nanoseconds exactly (year 9999 used to read as 1816)', async () => {
    const path = parquetTesting('int96_from_spark.parquet');
    const rows = await Dataset.fromParquet(path, { batchSize: 5 }).take(5).toArray();
    expect(rows.map((row) => (row.a === null ? null : (row.a as Date).toISOString()))).toEqual([
      '2024-01-01T20:34:56.123Z',
      '2024-01-01T01:00:00.000Z',
      '9999-12-31T03:00:00.000Z',
      '2024-12-30T23:00:00.000Z',
      null,
    ]);
  });

  it('an instant a Date cannot hold is an error naming the column and row', async () => {
    const error = await failureOf(read(parquetTesting('int96_from_spark.parquet')));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(
      /column 'a' row 5 holds 9089380393200000000 microseconds since 1970-01-01, outside the range a JS Date can hold/,
    );
  });

  it('keeps working for a copy of the file (no state shared between opens)', async () => {
    const copy = join(dir, 'int96-copy.parquet');
    copyFileSync(parquetTesting('int96_from_spark.parquet'), copy);
    const rows = await Dataset.fromParquet(copy, { batchSize: 3 }).take(3).toArray();
    expect((rows[2]!.a as Date).toISOString()).toBe('9999-12-31T03:00:00.000Z');
  });
});
