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
