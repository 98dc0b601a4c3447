import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionDeniedError, ResourceExhaustedError, ndarray } from '@tsflow/core';
import { Dataset, writeAtomically } from '@tsflow/data';
import { reportChildWrite } from './child_process_helpers.js';

const isRoot = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'tsflow-fserr-'));
const small = join(dir, 'small-fs');

/** A 64 KiB tmpfs: a real full disk and, remounted, a real read-only file system. */
function mountSmallFileSystem(): boolean {
  if (!isRoot) return false;
  try {
    mkdirSync(small);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted = mountSmallFileSystem();

afterAll(() => {
  if (mounted) execFileSync('umount', [small]);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!mounted)('file-system errors on a real small file system', () => {
  beforeAll(() => execFileSync('mount', ['-o', 'remount,rw', small]));

  it('ENOSPC while a sink writes is a ResourceExhaustedError naming the path; nothing is left', async () => {
    const target = join(small, 'big.arrow');
    const rows = Dataset.fromArray([{ x: ndarray(Float32Array.from({ length: 100_000 }, Math.random)) }]);
    const failure = rows.writeArrow(target);
    await expect(failure).rejects.toThrow(ResourceExhaustedError);
    await expect(rows.writeArrow(target)).rejects.toThrow(
      /writeArrow\('.*big\.arrow'\): cannot write the file: no space left on the device \[ENOSPC/,
    );
    expect(readdirSync(small)).toEqual([]);
  });

  it('EROFS is a PermissionDeniedError naming the path and the read-only file system', async () => {
    writeFileSync(join(small, 'existing.txt'), 'kept');
    execFileSync('mount', ['-o', 'remount,ro', small]);
    const target = join(small, 'existing.txt');
    const write = writeAtomically('test', target, (_tmp, handle) => handle.writeFile('new'));
    await expect(write).rejects.toThrow(PermissionDeniedError);
    await expect(writeAtomically('test', target, async () => undefined)).rejects.toThrow(
      /test\('.*existing\.txt'\): cannot write the file: the file system is read-only \[EROFS \(open\)\]/,
    );
    expect(readdirSync(small)).toEqual(['existing.txt']);
  });
});

describe('file-system errors of a writer process', () => {
  it.skipIf(!isRoot)('EACCES (a folder the user may not write) is a PermissionDeniedError', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o755);
    chmodSync(dir, 0o755);
    const report = reportChildWrite(join(locked, 'out.txt'), 'report', { uid: 65534 });
    expect(report.name).toBe('PermissionDeniedError');
    expect(report.message).toMatch(
      /child\('.*locked\/out\.txt'\): cannot write the file: permission denied \[EACCES \(open\)\]/,
    );
    expect(readdirSync(locked)).toEqual([]);
  });

  it('EMFILE (no file descriptor left) is a ResourceExhaustedError', () => {
    const target = join(dir, 'emfile.txt');
    const report = reportChildWrite(target, 'emfile', { fileLimit: 256 });
    expect(report.name).toBe('ResourceExhaustedError');
    expect(report.message).toMatch(
      /child\('.*emfile\.txt'\): cannot write the file: this process has too many open files \[EMFILE \(open\)\]/,
    );
    expect(readdirSync(dir).filter((name) => name.startsWith('emfile'))).toEqual([]);
  });
});
