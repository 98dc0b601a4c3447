import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGlob, hasGlob } from './glob.js';

describe('expandGlob', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsflow-glob-'));
  for (const file of [
    'a/part-1.parquet',
    'a/part-0.parquet',
    'a/part-10.parquet',
    'a/notes.txt',
    'a/b/part-2.parquet',
    'c/part-3.parquet',
  ]) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
  }

  it('matches * within a directory, sorted', async () => {
    expect(await expandGlob(join(root, 'a/part-*.parquet'))).toEqual(
      ['part-0', 'part-1', 'part-10'].map((name) => join(root, `a/${name}.parquet`)),
    );
  });

  it('matches ** across directories, ? and {a,b}', async () => {
    expect(await expandGlob(join(root, '**/*.parquet'))).toHaveLength(5);
    expect(await expandGlob(join(root, 'a/part-?.parquet'))).toHaveLength(2);
    expect(await expandGlob(join(root, '{a,c}/part-[03].parquet'))).toEqual([
      join(root, 'a/part-0.parquet'),
      join(root, 'c/part-3.parquet'),
    ]);
  });

  it('says when nothing matches', async () => {
    await expect(expandGlob(join(root, 'a/*.arrow'))).rejects.toThrow(/No files match '.*a\/\*\.arrow'/);
    expect(hasGlob('data/x.parquet')).toBe(false);
  });

  it('skips a dangling symlink', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsflow-glob-link-'));
    writeFileSync(join(dir, 'part-0.parquet'), '');
    symlinkSync(join(dir, 'gone.parquet'), join(dir, 'part-1.parquet'));
    expect(await expandGlob(join(dir, 'part-*.parquet'))).toEqual([join(dir, 'part-0.parquet')]);
  });

  it('reads an unclosed { or [ as a literal character (no hang)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsflow-glob-literal-'));
    writeFileSync(join(dir, '{odd[1.parquet'), '');
    expect(await expandGlob(join(dir, '{odd[*.parquet'))).toEqual([join(dir, '{odd[1.parquet')]);
    await expect(expandGlob(join(dir, '{a,b.parquet'))).rejects.toThrow(/No files match '.*\{a,b\.parquet'/);
  });
});
