import type { Stats } from 'node:fs';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  OutOfRangeError,
  PermissionDeniedError,
  ResourceExhaustedError,
  type TsflowError,
} from '@tsflow/core';

type TsflowErrorClass = new (message: string) => TsflowError;

/** errno → error class, after TensorFlow's own errno-to-status table. */
const CLASS_BY_CODE: Readonly<Record<string, TsflowErrorClass>> = {
  ENOSPC: ResourceExhaustedError,
  EDQUOT: ResourceExhaustedError,
  EMFILE: ResourceExhaustedError,
  ENFILE: ResourceExhaustedError,
  ENOMEM: ResourceExhaustedError,
  EACCES: PermissionDeniedError,
  EPERM: PermissionDeniedError,
  EROFS: PermissionDeniedError,
  ENOENT: NotFoundError,
  ENODEV: NotFoundError,
  ENXIO: NotFoundError,
  EISDIR: FailedPreconditionError,
  ENOTDIR: FailedPreconditionError,
  EEXIST: FailedPreconditionError,
  EBUSY: FailedPreconditionError,
  ETXTBSY: FailedPreconditionError,
  ELOOP: FailedPreconditionError,
  EINVAL: InvalidArgumentError,
  ENAMETOOLONG: InvalidArgumentError,
  EFBIG: OutOfRangeError,
};

/** What each errno means, in words a user can act on. */
const REASON_BY_CODE: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EMFILE: 'this process has too many open files',
  ENFILE: 'the system has too many open files',
  ENOMEM: 'out of memory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'the file already exists',
  EBUSY: 'the file is busy',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EFBIG: 'the file is too large',
};

/** The errno code of a Node.js file-system error, or undefined for any other value. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** Syscalls on an open descriptor: their errors carry no path but belong to the file written. */
const DESCRIPTOR_SYSCALLS = new Set(['write', 'writev', 'fsync', 'fdatasync', 'close', 'ftruncate', 'fchmod', 'fstat']);

/**
 * Turns a raw file-system error met while writing `path` into the tsflow error class that
 * TensorFlow would raise for it, naming the writer, the path and the cause in words; the raw
 * error stays attached as `cause`. An error about another file (`ownPaths` lists the files
 * of this write) or any non-errno value is returned unchanged: it is the pipeline's, not ours.
 */
export function fileSystemError(
  sink: string,
  path: string,
  error: unknown,
  ownPaths: readonly string[] = [path],
): unknown {
  const code = errnoCode(error);
  if (code === undefined) return error;
  const { syscall, path: errorPath } = error as { syscall?: unknown; path?: unknown };
  const about =
    typeof errorPath === 'string'
      ? ownPaths.includes(errorPath)
      : typeof syscall === 'string' && DESCRIPTOR_SYSCALLS.has(syscall);
  if (!about) return error;
  const ErrorClass = CLASS_BY_CODE[code] ?? FailedPreconditionError;
  const during = typeof syscall === 'string' ? ` (${syscall})` : '';
  const reason = REASON_BY_CODE[code] ?? 'the file system refused the operation';
  const wrapped = new ErrorClass(`${sink}('${path}'): cannot write the file: ${reason} [${code}${during}]`);
  (wrapped as { cause?: unknown }).cause = error;
  return wrapped;
}

/** What a non-regular directory entry is, for messages. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * An atomic write replaces a regular file or creates a new one, nothing else: a device, a
 * directory, a pipe or a symbolic link at `path` (from `lstat`) is refused, untouched.
 */
export function notReplaceable(
  sink: string,
  path: string,
  stats: Stats | undefined,
): FailedPreconditionError | undefined {
  if (stats === undefined || stats.isFile()) return undefined;
  return new FailedPreconditionError(
    `${sink}('${path}'): '${path}' exists and is ${kindOf(stats)}, not a regular file; only a regular file (or nothing) is replaced, so choose another output path`,
  );
}
