import { NotFoundError } from '@tsflow/core';

/** The project's one DataLossError lives in core; re-exported here for the io modules. */
export { DataLossError } from '@tsflow/core';

/** Turns an engine's raw error (often a WASM panic string) into a one-line reason. */
export function describeCause(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  const firstLine = text.split('\n')[0] ?? text;
  return firstLine.length > 300 ? `${firstLine.slice(0, 300)}…` : firstLine;
}

/** A file that can't be opened (missing, a directory, no permission), named with the reason. */
export function cannotOpen(what: string, path: string, cause: unknown): NotFoundError {
  return new NotFoundError(`${what} '${path}' could not be opened: ${describeCause(cause)}`);
}
