// Adds page CRC-32 checksums to a Parquet file written without them (arrow-rs / parquet-wasm
// and DuckDB don't write them; parquet-mr and pyarrow can). Every page header gets field 4
// (crc) over its page data as stored; chunk offsets and sizes in the footer are moved to
// match, and column/offset indexes and bloom filters are dropped (they point at old offsets).
// Used by the checksum benchmark and to generate checksummed corpus files.
import { crc32 } from 'node:zlib';
import { ThriftReader, ThriftWriter } from '../dist/io/parquet/thrift_compact.js';

const I32 = 5;
const I64 = 6;

/** `bytes` (a whole Parquet file) with a CRC in every page header. */
export function withPageChecksums(bytes) {
  const footerLength = bytes.readUInt32LE(bytes.length - 8);
  const metadata = new ThriftReader(bytes.subarray(bytes.length - 8 - footerLength, bytes.length - 8)).readStruct();
  const parts = [Buffer.from('PAR1')];
  let cursor = 4;
  for (const rowGroup of metadata.get(4).value.items) {
    let rowGroupStart;
    let rowGroupSize = 0n;
    for (const chunk of rowGroup.get(1).value.items) {
      const meta = chunk.get(3).value;
      const dataPage = Number(meta.get(9).value);
      const dictionary = meta.has(11) ? Number(meta.get(11).value) : 0;
      const start = dictionary > 0 && dictionary < dataPage ? dictionary : dataPage;
      const end = start + Number(meta.get(7).value);
      const newStart = cursor;
      rowGroupStart ??= newStart;
      let offset = start;
      let firstDataPage;
      while (offset < end) {
        const reader = new ThriftReader(bytes.subarray(offset, end));
        const header = reader.readStruct();
        const dataStart = offset + reader.offset;
        const data = bytes.subarray(dataStart, dataStart + header.get(3).value);
        header.set(4, { type: I32, value: crc32(data) | 0 });
        const writer = new ThriftWriter();
        writer.writeStruct(header);
        if (header.get(1).value !== 2) firstDataPage ??= cursor;
        parts.push(Buffer.from(writer.bytes()), data);
        cursor += writer.bytes().length + data.length;
        offset = dataStart + data.length;
      }
      meta.set(9, { type: I64, value: BigInt(firstDataPage) });
      if (dictionary > 0) meta.set(11, { type: I64, value: BigInt(newStart) });
      meta.set(7, { type: I64, value: BigInt(cursor - newStart) });
      chunk.set(2, { type: I64, value: BigInt(newStart) });
      for (const id of [4, 5, 6, 7]) chunk.delete(id);
      meta.delete(14);
      meta.delete(15);
      rowGroupSize += BigInt(cursor - newStart);
    }
    if (rowGroup.has(5)) rowGroup.set(5, { type: I64, value: BigInt(rowGroupStart ?? 4) });
    if (rowGroup.has(6)) rowGroup.set(6, { type: I64, value: rowGroupSize });
  }
  const writer = new ThriftWriter();
  writer.writeStruct(metadata);
  const footer = Buffer.from(writer.bytes());
  const length = Buffer.alloc(4);
  length.writeUInt32LE(footer.length);
  parts.push(footer, length, Buffer.from('PAR1'));
  return Buffer.concat(parts);
}
