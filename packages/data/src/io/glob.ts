import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { NotFoundError } from '@tsflow/core';

/** True when `path` contains glob syntax (`*`, `?`, `[...]`, `{a,b}`). */
export function hasGlob(path: string): boolean {
  return /[*?[\]{}]/.test(path);
}

/**
 * Files matching a glob, sorted (so a file list is stable across runs and workers):
 * `*` and `?` within a path segment, `**` across segments, `[abc]`, `{a,b}`.
 *
 * @example
 * await expandGlob('data/part-*.parquet'); // ['data/part-0.parquet', 'data/part-1.parquet']
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const segments = pattern.split(/[\\/]/);
  const firstGlob = segments.findIndex((segment) => hasGlob(segment));
  if (firstGlob < 0) return [pattern];
  const base = segments.slice(0, firstGlob).join(sep) || (pattern.startsWith('/') ? '/' : '.');
  const matcher = globToRegExp(segments.slice(firstGlob).join('/'));
  const recursive = segments.slice(firstGlob).some((segment) => segment === '**') || firstGlob < segments.length - 1;
  let entries: string[];
  try {
    entries = recursive ? await readdir(base, { recursive: true }) : await readdir(base);
  } catch (error) {
    throw new NotFoundError(
      `No files match '${pattern}': directory '${base}' can't be read (${(error as Error).message})`,
    );
  }
  const matches: string[] = [];
  for (const entry of entries.map((e) => e.split(sep).join('/')).sort()) {
    if (!matcher.test(entry)) continue;
    const full = join(base, entry);
    // A dangling symlink (or a file deleted meanwhile) is not a match, not a crash.
    const isFile = await stat(full).then(
      (info) => info.isFile(),
      () => false,
    );
    if (isFile) matches.push(full);
  }
  if (matches.length === 0) throw new NotFoundError(`No files match '${pattern}'`);
  return matches;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = glob.indexOf(']', i);
      source += end > i ? glob.slice(i, end + 1) : '\\[';
      i = end > i ? end : i;
    } else if (char === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) {
        source += '\\{'; // unclosed: a literal '{', like an unclosed '['
        continue;
      }
      const options = glob
        .slice(i + 1, end)
        .split(',')
        .map((option) => option.replace(/[.+^$()|\\]/g, '\\$&'));
      source += `(?:${options.join('|')})`;
      i = end;
    } else source += char.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
