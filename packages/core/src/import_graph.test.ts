import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildImportGraph, importCycles, layerViolations } from './test_support/import_graph.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const workspaces = ['packages', 'apps'].flatMap((dir) =>
  readdirSync(resolve(repoRoot, dir)).map((name) => resolve(repoRoot, dir, name)),
);
const graph = buildImportGraph(repoRoot, workspaces);

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * Core's layers, lowest first (README "Layers inside @tsflow/core" says why): a file may import
 * its own layer or a lower one, never a higher one. A prefix names a folder or a file under
 * packages/core/src/; the longest matching prefix decides. Tests may reach across layers.
 */
const CORE = 'packages/core/src/';
export const CORE_LAYERS: readonly (readonly string[])[] = [
  ['dtype.ts', 'errors.ts', 'tensor_bytes_limit.ts'],
  ['ndarray/'],
  ['graph/'],
  ['ops/'],
  ['variables/'],
  ['gradients/'],
  ['kernel_registry.ts'],
  ['cpu_backend/'],
  ['gpu_backend/'],
  ['kernels/'],
  ['session/'],
  ['index.ts'],
].map((prefixes) => prefixes.map((p) => CORE + p));

describe('import graph', () => {
  it('scans every workspace', () => {
    const files = [...graph.imports.keys()];
    for (const dir of [
      'packages/core/src/',
      'packages/data/src/',
      'packages/train/src/',
      'apps/cli/src/',
      'apps/examples/src/',
    ]) {
      expect(
        files.some((f) => f.startsWith(dir)),
        dir,
      ).toBe(true);
    }
  });

  it('has no import cycle between files in packages/* and apps/*', () => {
    expect(importCycles(graph.runtimeImports)).toEqual([]);
  });

  it('has no import from a higher layer of @tsflow/core into a lower one', () => {
    const production = new Map(
      [...graph.imports].filter(([file]) => file.startsWith(CORE) && !file.endsWith('.test.ts')),
    );
    expect(layerViolations({ ...graph, imports: production }, CORE_LAYERS)).toEqual([]);
  });

  it("reaches no other workspace's files by a relative path (only through its package name)", () => {
    // Root files (vitest.shared.ts) are shared config, not a workspace.
    const workspaceOf = (file: string) =>
      /^(packages|apps)\//.test(file) ? file.split('/').slice(0, 2).join('/') : null;
    const crossings = [...graph.imports].flatMap(([from, targets]) =>
      targets
        .filter((to) => workspaceOf(to) !== null && workspaceOf(to) !== workspaceOf(from))
        .map((to) => `${from} -> ${to}`),
    );
    expect(crossings).toEqual([]);
  });

  it('has no workspace depending on an app (the CLI does not use the examples)', () => {
    const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    const apps = new Set(workspaces.filter((dir) => dir.includes(`${sep}apps${sep}`)).map((dir) => manifest(dir).name));
    const uses = workspaces.flatMap((dir) => {
      const { name, dependencies = {}, devDependencies = {} } = manifest(dir);
      return Object.keys({ ...dependencies, ...devDependencies })
        .filter((dep) => apps.has(dep))
        .map((dep) => `${name} -> ${dep}`);
    });
    expect(apps.size).toBeGreaterThan(0);
    expect(uses).toEqual([]);
  });
});
