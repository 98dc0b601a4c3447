import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { ndarray } from '@tsflow/core';
import { readTensor, writeTensor } from './tensor_proto.js';

function encode(value: Parameters<typeof writeTensor>[1]): number[] {
  const writer = new BinaryWriter();
  writeTensor(writer, value);
  return [...writer.finish()];
}

// Expected bytes written out from tensor.proto's field numbers: dtype = 1, tensor_shape = 2
// (dim = 2, size = 1), tensor_content = 4, float_val = 5, int_val = 7, bool_val = 11.
const SHAPE_2x3 = [0x12, 0x08, 0x12, 0x02, 0x08, 0x02, 0x12, 0x02, 0x08, 0x03];

describe('TensorProto encoding', () => {
  it('writes a constant whose elements are all equal as one repeated value, as TF does for tf.zeros', () => {
    expect(encode(ndarray(new Float32Array(6).fill(1.5), { shape: [2, 3] }))).toEqual([
      0x08,
      0x01,
      ...SHAPE_2x3,
      0x2a,
      0x04,
      0x00,
      0x00,
      0xc0,
      0x3f,
    ]);
    expect(encode(ndarray(new Int32Array([7, 7, 7])))).toEqual([
      0x08, 0x03, 0x12, 0x04, 0x12, 0x02, 0x08, 0x03, 0x3a, 0x01, 0x07,
    ]);
    expect(encode(ndarray([true, true], { dtype: 'bool' }))).toEqual([
      0x08, 0x0a, 0x12, 0x04, 0x12, 0x02, 0x08, 0x02, 0x5a, 0x01, 0x01,
    ]);
  });

  it('keeps tensor_content when any element differs, bit for bit (0 and -0 differ)', () => {
    const bytes = encode(ndarray(new Float32Array([0, -0]), { shape: [2] }));
    expect(bytes.slice(0, 8)).toEqual([0x08, 0x01, 0x12, 0x04, 0x12, 0x02, 0x08, 0x02]);
    expect(bytes.slice(8)).toEqual([0x22, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x80]);
  });

  it('reads a short value list back expanded to the shape (the last value repeats)', () => {
    const zeros = readTensor(new Uint8Array(encode(ndarray(new Float32Array(6), { shape: [2, 3] }))));
    expect(zeros).toEqual({ dtype: 1, shape: [2, 3], numbers: [0, 0, 0, 0, 0, 0], strings: [] });
    const mixed = readTensor(new Uint8Array(encode(ndarray(new Float32Array([1, 2, 3]), { shape: [3] }))));
    expect(mixed.numbers).toEqual([1, 2, 3]);
  });
});
