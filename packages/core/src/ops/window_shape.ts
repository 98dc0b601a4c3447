import type { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import { type Padding, windowOutput } from '../ndarray/window_geometry.js';
import { shapeError } from './op_builder.js';

/**
 * windowOutput for shape inference: an unknown input dim gives an unknown output dim (so does an
 * unknown kernel size, except under SAME padding where the output is ceil(in / s) regardless);
 * a VALID window larger than the input is TF's build-time shape error naming the op.
 */
export function inferWindowOutput(
  input: number | null,
  k: number | null,
  stride: number,
  padding: Padding,
  opName: string,
  opType: string,
  inputs: readonly Tensor[],
): number | null {
  if (input === null) return null;
  if (k === null) return padding === 'SAME' ? Math.ceil(input / stride) : null;
  try {
    return windowOutput(input, k, stride, padding).out;
  } catch (error) {
    throw shapeError((error as InvalidArgumentError).message, opName, opType, inputs);
  }
}
