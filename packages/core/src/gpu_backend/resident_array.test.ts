import { describe, expect, it } from 'vitest';
import { FailedPreconditionError } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { kernelArg } from './gpu_kernel.js';
import { type DeviceBuffer, GpuResidentArray, liveResidentArrayCount, settleResidentArrays } from './resident_array.js';

/** Stands in for a gpu.js texture (only GL backends produce real ones), counting reads and frees. */
class FakeTexture implements DeviceBuffer {
  reads = 0;
  deletes = 0;
  constructor(private readonly rows: Float32Array[]) {}
  toArray(): unknown {
    this.reads++;
    return this.rows;
  }
  delete(): void {
    this.deletes++;
  }
}

describe('GpuResidentArray', () => {
  it('reads the texture back only when data is first needed, then frees it', () => {
    const texture = new FakeTexture([Float32Array.of(1, 2), Float32Array.of(3, 4)]);
    const value = new GpuResidentArray([2, 2], texture);
    expect(value).toBeInstanceOf(NDArray);
    expect(value.shape).toEqual([2, 2]);
    expect(value.size).toBe(4);
    expect(texture.reads).toBe(0);
    expect(kernelArg(value)).toBe(texture); // the next gpu kernel reads it in place
    expect(value.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(value.get(1, 0)).toBe(3);
    expect(texture.reads).toBe(1);
    expect(texture.deletes).toBe(1);
    expect(Array.from(kernelArg(value) as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(liveResidentArrayCount()).toBe(0);
  });

  it('at the end of a run downloads what is kept and frees the rest unread', () => {
    const keptTexture = new FakeTexture([Float32Array.of(5, 6)]);
    const droppedTexture = new FakeTexture([Float32Array.of(7, 8)]);
    const kept = new GpuResidentArray([2], keptTexture);
    const dropped = new GpuResidentArray([2], droppedTexture);
    expect(liveResidentArrayCount()).toBe(2);
    settleResidentArrays((v) => v === kept);
    expect(liveResidentArrayCount()).toBe(0);
    expect([keptTexture.reads, keptTexture.deletes]).toEqual([1, 1]);
    expect([droppedTexture.reads, droppedTexture.deletes]).toEqual([0, 1]);
    expect(Array.from(kept.data)).toEqual([5, 6]);
    expect(() => dropped.data).toThrow(FailedPreconditionError);
    expect(() => dropped.toArray()).toThrow(
      /A gpu value of shape \[2\] was read after its run ended; fetch it \(or store it in a variable\) to keep it\./,
    );
  });
});
