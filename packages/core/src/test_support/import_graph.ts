import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Each source file's relative imports, resolved to files; names are relative to `root`, with `/`. */
export interface ImportGraph {
  readonly root: string;
  /** Every import, `import type` included (a lower layer must not even name a higher one's types). */
  readonly imports: ReadonlyMap<string, readonly string[]>;
  /** The imports that remain in the emitted JavaScript (no `import type` / `export type`), which can form load-order cycles. */
  readonly runtimeImports: ReadonlyMap<string, readonly string[]>;
}

const SOURCE = /\.(ts|mts|js|mjs)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.turbo']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIPPED_DIRS.has(name) ? [] : sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** TS's own resolution for ESM: `./x.js` names `x.ts` before it is built; `./x` may be `x/index.ts`. */
function resolveSpecifier(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

interface Specifier {
  text: string;
  typeOnly: boolean;
}

/** Static imports and re-exports, `import()` calls anywhere in the file. */
function specifiers(file: string): Specifier[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: Specifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ text: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly ?? false });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ text: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg !== undefined && ts.isStringLiteral(arg)) found.push({ text: arg.text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The relative-import graph of every source file under `dirs` (each scanned recursively). */
export function buildImportGraph(root: string, dirs: readonly string[]): ImportGraph {
  const toKey = (path: string) => relative(root, path).split(sep).join('/');
  const imports = new Map<string, string[]>();
  const runtimeImports = new Map<string, string[]>();
  for (const dir of dirs) {
    for (const file of sourceFiles(dir)) {
      const all = new Set<string>();
      const runtime = new Set<string>();
      for (const { text, typeOnly } of specifiers(file)) {
        const target = text.startsWith('.') ? resolveSpecifier(file, text) : null;
        if (target === null) continue;
        all.add(toKey(target));
        if (!typeOnly) runtime.add(toKey(target));
      }
      imports.set(toKey(file), [...all]);
      runtimeImports.set(toKey(file), [...runtime]);
    }
  }
  return { root, imports, runtimeImports };
}

/**
 * Every file-level cycle of `edges` (e.g. `graph.runtimeImports`), each as the sorted list of its
 * files: the strongly connected components with more than one file, or a file importing itself.
 */
export function importCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of edges.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const selfImport = edges.get(file)?.includes(file) ?? false;
    if (component.length > 1 || selfImport) cycles.push(component.sort());
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

/**
 * Imports that go against `layers` (lowest first; each entry lists path prefixes, the longest
 * matching prefix decides a file's layer): a file may import its own layer or a lower one.
 * Returns `from -> to (layer a imports layer b)` lines; files outside every layer are skipped.
 */
export function layerViolations(graph: ImportGraph, layers: readonly (readonly string[])[]): string[] {
  const layerOf = (file: string): number | undefined => {
    let best: { layer: number; length: number } | undefined;
    layers.forEach((prefixes, layer) => {
      for (const p of prefixes)
        if (file.startsWith(p) && (best === undefined || p.length > best.length)) best = { layer, length: p.length };
    });
    return best?.layer;
  };
  const violations: string[] = [];
  for (const [from, targets] of graph.imports) {
    const a = layerOf(from);
    if (a === undefined) continue;
    for (const to of targets) {
      const b = layerOf(to);
      if (b !== undefined && b > a)
        violations.push(
          `${from} -> ${to} (layer ${a} [${layers[a]!.join(' ')}] imports layer ${b} [${layers[b]!.join(' ')}])`,
        );
    }
  }
  return violations;
}
