import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FailedPreconditionError } from '@tsflow/core';
import { Dataset, writeAtomically } from '@tsflow/data';
import { startWriterChild } from './child_process_helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tsflow-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = () => Dataset.fromArray([{ x: 1 }, { x: 2 }]);
const entriesStartingWith = (folder: string, prefix: string) =>
  readdirSync(folder).filter((name) => name.startsWith(prefix));

describe('writeAtomically replaces only a regular file (or nothing)', () => {
  // A private clone of /dev/full (char 1:7), so a regression replaces nothing of the system.
  it.skipIf(process.getuid?.() !== 0)(
    'refuses a character device: writeParquet("/dev/full") as root used to replace it',
    async () => {
      const device = join(dir, 'full');
      execFileSync('mknod', [device, 'c', '1', '7']);
      await expect(rows().writeParquet(device)).rejects.toThrow(FailedPreconditionError);
      await expect(rows().writeParquet(device)).rejects.toThrow(
        /writeParquet\('.*full'\): '.*full' exists and is a character device, not a regular file/,
      );
      expect(lstatSync(device).isCharacterDevice()).toBe(true);
      expect(entriesStartingWith(dir, 'full.')).toEqual([]);
    },
  );

  it('refuses an existing directory with a named error (was a raw EISDIR)', async () => {
    const target = join(dir, 'a-directory.arrow');
    mkdirSync(target);
    await expect(rows().writeArrow(target)).rejects.toThrow(
      /writeArrow\('.*a-directory\.arrow'\): '.*' exists and is a directory, not a regular file/,
    );
    expect(lstatSync(target).isDirectory()).toBe(true);
    expect(entriesStartingWith(dir, 'a-directory.arrow.')).toEqual([]);
  });

  it('refuses a FIFO and a symbolic link, leaving both (and the link target) untouched', async () => {
    const fifo = join(dir, 'pipe.parquet');
    execFileSync('mkfifo', [fifo]);
    await expect(rows().writeParquet(fifo)).rejects.toThrow(
      /'.*pipe\.parquet' exists and is a FIFO \(named pipe\), not a regular file/,
    );
    expect(lstatSync(fifo).isFIFO()).toBe(true);

    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const link = join(dir, 'link.parquet');
    symlinkSync(victim, link);
    await expect(rows().writeParquet(link)).rejects.toThrow(
      /'.*link\.parquet' exists and is a symbolic link, not a regular file/,
    );
    expect(readlinkSync(link)).toBe(victim);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('replaces an existing regular file whole', async () => {
    const target = join(dir, 'replace.txt');
    writeFileSync(target, 'old contents');
    await writeAtomically('test', target, (_tmp, handle) => handle.writeFile('new'));
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(entriesStartingWith(dir, 'replace.txt.')).toEqual([]);
  });
});

describe('writeAtomically temporary files', () => {
  it('never follows a symlink planted at the temporary name (the old `<path>.tmp`)', async () => {
    const victim = join(dir, 'planted-victim.txt');
    writeFileSync(victim, 'precious');
    const target = join(dir, 'planted.parquet');
    symlinkSync(victim, `${target}.tmp`);
    await rows().writeParquet(target);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(target).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('creates a fresh file exclusively, with a random suffix beside the target', async () => {
    const target = join(dir, 'fresh.txt');
    const seen: string[] = [];
    for (let i = 0; i < 2; i++) {
      await writeAtomically('test', target, async (tmpPath, handle) => {
        seen.push(tmpPath);
        expect((await handle.stat()).size).toBe(0);
        await handle.writeFile(`pass ${i}`);
      });
    }
    expect(seen[0]).toMatch(/fresh\.txt\.tmp-[0-9a-f]{6}-\d+-[0-9a-f]{12}$/);
    expect(seen[0]).not.toBe(seen[1]);
  });

  it('lets two concurrent writers both finish; the later rename wins whole', async () => {
    const target = join(dir, 'concurrent.txt');
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => (releaseFirst = resolve));
    // Writing by path (the original call signature) must keep working.
    const first = writeAtomically('first', target, async (tmpPath) => {
      await writeFile(tmpPath, 'A'.repeat(10_000));
      await firstMayFinish;
    });
    const second = writeAtomically('second', target, (tmpPath) => writeFile(tmpPath, 'B'.repeat(5_000)));
    await second;
    expect(readFileSync(target, 'utf8')).toBe('B'.repeat(5_000));
    releaseFirst();
    await first;
    expect(readFileSync(target, 'utf8')).toBe('A'.repeat(10_000));
    expect(entriesStartingWith(dir, 'concurrent.txt.')).toEqual([]);
  });

  it('removes the temporary file when the write fails and keeps the previous file', async () => {
    const target = join(dir, 'kept.txt');
    writeFileSync(target, 'previous');
    await expect(
      writeAtomically('test', target, async (_tmp, handle) => {
        await handle.writeFile('half');
        throw new Error('upstream broke');
      }),
    ).rejects.toThrow(/upstream broke/);
    expect(readFileSync(target, 'utf8')).toBe('previous');
    expect(entriesStartingWith(dir, 'kept.txt.')).toEqual([]);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'removes the temporary file on %s and exits by the signal',
    async (signal) => {
      const target = join(dir, `signalled-${signal}.txt`);
      const writer = startWriterChild(target);
      const tmpPath = await writer.tmpPath;
      expect(existsSync(tmpPath)).toBe(true);
      writer.child.kill(signal);
      expect((await writer.exited).signal).toBe(signal);
      expect(entriesStartingWith(dir, `signalled-${signal}.txt`)).toEqual([]);
    },
  );

  it('leaves SIGTERM to an application handler; the temporary a kill -9 leaves is removed by the next write', async () => {
    const target = join(dir, 'killed.txt');
    const writer = startWriterChild(target, 'listen');
    const tmpPath = await writer.tmpPath;
    writer.child.kill('SIGTERM');
    await expect.poll(() => writer.output()).toMatch(/app handler ran/);
    expect(existsSync(tmpPath)).toBe(true);
    writer.child.kill('SIGKILL');
    await writer.exited;
    expect(existsSync(tmpPath)).toBe(true);

    const foreign = `${target}.tmp-not-ours`;
    writeFileSync(foreign, 'someone else');
    await writeAtomically('test', target, (_tmp, handle) => handle.writeFile('done'));
    expect(existsSync(tmpPath)).toBe(false);
    expect(existsSync(foreign)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('done');
  });
});
