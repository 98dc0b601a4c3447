import { BYTES_PER_ELEMENT } from '../dtype.js';
import { InvalidArgumentError, ResourceExhaustedError } from '../errors.js';
import type { Operation } from '../graph/operation.js';
import { formatShape, shapeSize } from '../ndarray/shape.js';
import { describeBytes, type TensorBytesLimitError } from '../tensor_bytes_limit.js';
import type { ExecutionPlan } from './plan.js';

/**
 * `maxTensorBytes`: no op of a run may produce a tensor larger than the session allows. Outputs
 * whose static shape is fully known are checked when the plan is built, before anything runs;
 * the others by the allocation helpers as the kernel allocates (tensor_bytes_limit.ts).
 * @internal
 */

/** Validates the `maxTensorBytes` session option. */
export function checkMaxTensorBytes(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(
      `Session: maxTensorBytes must be a positive integer (bytes), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function tooLarge(op: Operation, what: string, bytes: number, limit: number): ResourceExhaustedError {
  return new ResourceExhaustedError(
    `OOM when allocating ${what} for '${op.name}' (op: '${op.type}'): ${describeBytes(bytes)} is above this session's ` +
      `maxTensorBytes = ${describeBytes(limit)}; nothing was allocated. Raise it with new Session(graph, { maxTensorBytes }) if the machine has the memory`,
  );
}

/** Refuses a plan with an op whose statically known output is above `limit`, before it runs. */
export function checkPlanOutputs(plan: ExecutionPlan, limit: number): void {
  for (const step of plan.steps) {
    for (const tensor of step.op.outputs) {
      const shape = tensor.shape;
      if (shape === null || shape.some((d) => d === null)) continue;
      const bytes = shapeSize(shape as number[]) * BYTES_PER_ELEMENT[tensor.dtype];
      if (bytes > limit)
        throw tooLarge(step.op, `a ${tensor.dtype} tensor with shape ${formatShape(shape)}`, bytes, limit);
    }
  }
}

/** A kernel's refused allocation, as a message naming the op and its (static) output shapes. */
export function allocationRefused(op: Operation, error: TensorBytesLimitError): ResourceExhaustedError {
  const outputs = op.outputs.map((t) => `${t.dtype}${formatShape(t.shape)}`).join(', ');
  return tooLarge(op, `an array for output ${outputs}`, error.bytes, error.limit);
}
