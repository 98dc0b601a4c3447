import { describe, expect, it } from 'vitest';
import { DataLossError, ndarray } from '@tsflow/core';
import { MAX_HEADER_BYTES, decodeSafetensors, encodeSafetensors, entryToNDArray } from './safetensors_format.js';

// Known bytes from the safetensors reference implementation's own serializer tests (Rust crate,
// `test_serialization_forced_alignement` and `test_empty`): a 1x1x2x3 F32 tensor 'attn0' holding
// 0..5, and an empty file with `__metadata__ = { framework: 'pt' }`.
const ATTN0_BYTES = [
  72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34, 70, 51,
  50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111,
  102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32, 32, 32, 0, 0, 0, 0, 0, 0,
  128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
];
const EMPTY_WITH_METADATA_BYTES = [
  40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58, 123, 34, 102, 114, 97,
  109, 101, 119, 111, 114, 107, 34, 58, 34, 112, 116, 34, 125, 125, 32, 32, 32, 32, 32,
];

/** Builds a file by hand: 8-byte LE length, the header text as given, then the data bytes. */
function handMade(header: string, data: number[] = []): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors encoding', () => {
  it('matches the reference serializer byte for byte', () => {
    const attn0 = ndarray(new Float32Array([0, 1, 2, 3, 4, 5]), { shape: [1, 1, 2, 3] });
    expect([...encodeSafetensors(new Map([['attn0', attn0]]))]).toEqual(ATTN0_BYTES);
    expect([...encodeSafetensors(new Map(), { framework: 'pt' })]).toEqual(EMPTY_WITH_METADATA_BYTES);
  });

  it('orders tensors by descending alignment, then name, so every tensor is aligned', () => {
    const bytes = encodeSafetensors(
      new Map([
        ['z_flag', ndarray([true, false, true], { dtype: 'bool' })],
        ['b_count', ndarray([7], { dtype: 'int32' })],
        ['a_weight', ndarray([1.5, 2.5])],
        ['c_weight', ndarray([3.5])],
      ]),
    );
    const header = JSON.parse(
      new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true)))),
    );
    expect(Object.keys(header)).toEqual(['a_weight', 'c_weight', 'b_count', 'z_flag']);
    expect(header.b_count).toEqual({ dtype: 'I32', shape: [1], data_offsets: [12, 16] });
    expect(header.z_flag).toEqual({ dtype: 'BOOL', shape: [3], data_offsets: [16, 19] });
  });

  it('reads the reference bytes back', () => {
    const file = decodeSafetensors(new Uint8Array(ATTN0_BYTES), 'attn0');
    const attn0 = entryToNDArray(file, file.entries.get('attn0')!);
    expect(attn0.shape).toEqual([1, 1, 2, 3]);
    expect([...attn0.data]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(decodeSafetensors(new Uint8Array(EMPTY_WITH_METADATA_BYTES), 'empty').metadata).toEqual({ framework: 'pt' });
  });
});

describe('safetensors validation (DataLossError before trusting a byte)', () => {
  const f32 = (name: string, begin: number, end: number, shape = [(end - begin) / 4]): string =>
    `"${name}":{"dtype":"F32","shape":${JSON.stringify(shape)},"data_offsets":[${begin},${end}]}`;
  const cases: [string, Uint8Array, RegExp][] = [
    ['a file shorter than 8 bytes', new Uint8Array(5), /the file is 5 bytes, shorter than the 8-byte header length/],
    [
      'a header length past the end of the file',
      (() => {
        const b = handMade(`{${f32('w', 0, 4)}}`, [0, 0, 0, 0]);
        b[0] = 200;
        return b;
      })(),
      /header length 200 runs past the end of the file \(\d+ bytes\)/,
    ],
    [
      'a header length over the cap',
      (() => {
        const b = new Uint8Array(16);
        new DataView(b.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES) + 1n, true);
        return b;
      })(),
      /header length 100000001 exceeds the 100000000-byte limit/,
    ],
    [
      'a header length of 2^64-1',
      (() => {
        const b = new Uint8Array(16);
        b.fill(0xff, 0, 8);
        return b;
      })(),
      /header length 18446744073709551615 exceeds/,
    ],
    ['a header that is not JSON', handMade('{"w": nope}'), /the header is not valid JSON/],
    ['a header that is not UTF-8', handMade('{"abc":1}').map((b, i) => (i === 10 ? 0xff : b)), /not valid UTF-8/],
    ['a header that is an array', handMade('[1, 2]'), /does not start with '\{'/],
    [
      'an unknown dtype',
      handMade(`{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}`, [0, 0, 0, 0]),
      /tensor 'w' has unknown dtype "F33"/,
    ],
    [
      'overlapping offsets',
      handMade(`{${f32('a', 0, 8)},${f32('b', 4, 12)}}`, new Array(12).fill(0)),
      /tensor 'b' bytes \[4,12\] overlap the previous tensor's \(which end at 8\)/,
    ],
    [
      'a gap between tensors',
      handMade(`{${f32('a', 0, 4)},${f32('b', 8, 12)}}`, new Array(12).fill(0)),
      /tensor 'b' starts at byte 8, leaving a gap after byte 4/,
    ],
    [
      'offsets that disagree with the shape',
      handMade(`{${f32('a', 0, 8, [3])}}`, new Array(8).fill(0)),
      /tensor 'a' \(F32 \[3\]\) needs 12 bytes but data_offsets \[0,8\] hold 8/,
    ],
    [
      'truncated data',
      handMade(`{${f32('a', 0, 8)}}`, [0, 0, 0, 0, 0]),
      /the data section is 5 bytes but the tensors need 8 \(truncated file\)/,
    ],
    ['trailing bytes', handMade(`{${f32('a', 0, 4)}}`, [0, 0, 0, 0, 9]), /1 bytes follow the last tensor's data/],
    [
      'negative offsets',
      handMade(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}`),
      /tensor 'a' has invalid data_offsets \[-4,0\]/,
    ],
    ['a non-string metadata value', handMade(`{"__metadata__":{"step":5}}`), /__metadata__\.step is not a string/],
  ];
  it.each(cases)('rejects %s', (_what, bytes, message) => {
    expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(DataLossError);
    expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(message);
    expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(/^Checkpoint 'bad\.safetensors' is corrupt: /);
  });
});
