import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FailedPreconditionError, NotFoundError, ResourceExhaustedError } from '@tsflow/core';
import { Dataset } from '../../dataset.js';
import { AtomicFileSync } from './atomic_file_sync.js';
import { fileSystemError } from './fs_errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tsflow-atomic-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real errno error, produced by the system call that raises it. */
function errorOf(action: () => void): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the action to fail');
}

describe('fileSystemError', () => {
  it('maps a descriptor write error (no path) to the tsflow class, naming sink, path and cause', () => {
    const fd = openSync('/dev/full', 'w');
    const raw = errorOf(() => writeSync(fd, 'x'));
    closeSync(fd);
    const mapped = fileSystemError('writeParquet', 'out.parquet', raw) as Error;
    expect(mapped).toBeInstanceOf(ResourceExhaustedError);
    expect(mapped.message).toBe(
      "writeParquet('out.parquet'): cannot write the file: no space left on the device [ENOSPC (write)]",
    );
    expect((mapped as { cause?: unknown }).cause).toBe(raw);
  });

  it('maps an error about one of its own paths, and leaves errors about other files alone', () => {
    const missing = join(dir, 'absent', 'x');
    const raw = errorOf(() => openSync(missing, 'r'));
    expect(fileSystemError('sink', missing, raw)).toBeInstanceOf(NotFoundError);
    expect(fileSystemError('sink', join(dir, 'other'), raw)).toBe(raw);
    const plain = new Error('not a file-system error');
    expect(fileSystemError('sink', missing, plain)).toBe(plain);
  });
});

describe('AtomicFileSync', () => {
  it('commits whole, or abandons leaving the previous file', () => {
    const target = join(dir, 'sync.txt');
    writeFileSync(target, 'previous');
    const abandoned = new AtomicFileSync('test', target);
    writeSync(abandoned.fd, 'half');
    abandoned.abandon();
    expect(readFileSync(target, 'utf8')).toBe('previous');
    const committed = new AtomicFileSync('test', target);
    writeSync(committed.fd, 'whole');
    committed.commit();
    expect(readFileSync(target, 'utf8')).toBe('whole');
    expect(readdirSync(dir).filter((name) => name.startsWith('sync.txt.'))).toEqual([]);
  });

  it('refuses a target that is not a regular file', () => {
    const folder = join(dir, 'folder.txt');
    mkdirSync(folder);
    expect(() => new AtomicFileSync('test', folder)).toThrow(FailedPreconditionError);
    expect(() => new AtomicFileSync('test', folder)).toThrow(
      /test\('.*folder\.txt'\): '.*folder\.txt' exists and is a directory, not a regular file/,
    );
  });
});

describe('cache(path) files', () => {
  it('a cache path that is a directory is refused by name (was a raw EISDIR)', async () => {
    const folder = join(dir, 'cache-dir');
    mkdirSync(folder);
    await expect(Dataset.range(3).cache(folder).toArray()).rejects.toThrow(
      /Cache\(cache-dir\)\('.*cache-dir'\): '.*' exists and is a directory, not a regular file/,
    );
  });

  it('is written through an exclusive temporary and leaves none behind', async () => {
    const path = join(dir, 'rows.cache');
    expect(await Dataset.range(3).cache(path).toArray()).toEqual([0, 1, 2]);
    expect(readdirSync(dir).filter((name) => name.startsWith('rows.cache'))).toEqual(['rows.cache']);
    expect(await Dataset.range(3).cache(path).toArray()).toEqual([0, 1, 2]);
  });
});
