/** Base class of every error tsflow raises on purpose. */
export class TsflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad argument: wrong shape, dtype, feed or op input. */
export class InvalidArgumentError extends TsflowError {}

/** The system is not in a state to run this (e.g. an uninitialized variable, a closed session). */
export class FailedPreconditionError extends TsflowError {}

/** A named entity (tensor, operation, file, column) does not exist. */
export class NotFoundError extends TsflowError {}

/** Iteration or index ran past its end. */
export class OutOfRangeError extends TsflowError {}

/** The requested op/kernel is not implemented for this device or dtype. */
export class UnimplementedError extends TsflowError {}

/**
 * Stored bytes are not what their format promises: truncated, wrong magic, a corrupted page,
 * header or checksum. Like TensorFlow's DataLossError; one class for the whole project (data and
 * train re-export it). The message names the file (and column, tensor or record if known).
 */
export class DataLossError extends TsflowError {}

/**
 * A resource ran out or a limit would be exceeded: a tensor larger than the session's
 * `maxTensorBytes`, a full disk, too many open files, a Parquet page above the size limit.
 * TensorFlow's `ResourceExhaustedError`; raised before the allocation or write it guards.
 */
export class ResourceExhaustedError extends TsflowError {}

/** The operating system refused access (EACCES, EPERM, a read-only file system). TF's name. */
export class PermissionDeniedError extends TsflowError {}

/** Work did not finish within its time limit (a map element past its `timeout`). TF's name. */
export class DeadlineExceededError extends TsflowError {}
