import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE, zlib's), as Parquet page headers store it. Node's native `zlib.crc32`
 * (Node >= 20.15) when present; a table-driven fallback for older Node 20 releases.
 * @internal
 */
export function crc32(bytes: Uint8Array): number {
  return nativeCrc32 === undefined ? tableCrc32(bytes) : nativeCrc32(bytes) >>> 0;
}

const nativeCrc32 = (zlib as Partial<typeof zlib>).crc32;

let table: Uint32Array | undefined;

function tableCrc32(bytes: Uint8Array): number {
  table ??= buildTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function buildTable(): Uint32Array {
  const out = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    out[n] = c >>> 0;
  }
  return out;
}

/** The fallback, exported for its test. @internal */
export const crc32InJs = tableCrc32;
