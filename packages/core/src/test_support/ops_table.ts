import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import '../kernels/register_all_kernels.js';
import '../gradients/register_all_gradients.js';
import { getKernel, type KernelSpec, registeredOpTypes } from '../kernel_registry.js';
import { getGradient } from '../gradients/gradient_registry.js';
import {
  NO_GRADIENT as NO_GRADIENT_BY_TYPE,
  NOT_DIFFERENTIABLE as NOT_DIFFERENTIABLE_BY_TYPE,
} from '../gradients/no_gradient.js';

const NO_GRADIENT: Readonly<Record<string, string | undefined>> = NO_GRADIENT_BY_TYPE;
const NOT_DIFFERENTIABLE: Readonly<Record<string, string | undefined>> = NOT_DIFFERENTIABLE_BY_TYPE;
import { opTypesWithoutGpuKernel } from '../gpu_backend/device_context.js';
import { HOST_OP_TYPES } from '../gpu_backend/placement.js';

/** packages/core/src: every path in the table is relative to it. */
export const SRC = resolve(import.meta.dirname, '..');

/** One op type: where it is built, differentiated and computed (paths relative to src/). */
export interface OpRow {
  opType: string;
  forward: string[];
  gradient: string[];
  cpu: string[];
  gpu: string[];
  /** Why a role has no entry (no gradient, no gpu kernel), from the registries' own reason tables. */
  notes: string[];
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(SRC, dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `${dir}/${f}`);

/** Source text without comments (an op type named in a doc example is not a use). */
const code = (file: string) =>
  readFileSync(join(SRC, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');

interface Exported {
  file: string;
  item: unknown;
  /** Length of the exported list holding it: a family list is shorter than a list of families. */
  listLength: number;
}

/** Each exported array's items, with the module that exports them (a family list, or a per-op file). */
async function exportedItems(files: readonly string[]): Promise<Exported[]> {
  const found: Exported[] = [];
  for (const file of files) {
    const module = (await import(join(SRC, file.replace(/\.ts$/, '.js')))) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      if (Array.isArray(value)) for (const item of value) found.push({ file, item, listLength: value.length });
    }
  }
  return found;
}

/**
 * The file that defines `spec`: of the modules that export it, the ones whose code names its op
 * type, else the one with the shortest list (the family, not a list that gathers families).
 */
function definingFiles(spec: KernelSpec, exported: readonly Exported[]): string[] {
  const holders = exported.filter((e) => e.item === spec);
  const naming = holders.filter((e) => code(e.file).includes(`'${spec.opType}'`));
  if (naming.length > 0) return [...new Set(naming.map((e) => e.file))];
  const shortest = Math.min(...holders.map((e) => e.listLength));
  return [...new Set(holders.filter((e) => e.listLength === shortest).map((e) => e.file))];
}

/**
 * Files that build an op of this type: the op type as a quoted string anywhere but in a
 * comparison (`op.type === 'Const'` reads ops, it does not build one).
 */
function forwardFiles(opType: string, candidates: readonly string[]): string[] {
  const quoted = new RegExp(`(?<!(?:===|!==|case)\\s*)'${opType}'`);
  return candidates.filter((f) => quoted.test(code(f)));
}

/** Every op type with a kernel, and where each role of it lives. */
export async function opRows(): Promise<OpRow[]> {
  const builders = [...sourceFiles('ops'), ...sourceFiles('variables'), 'session/remapper.ts'];
  const kernels = await exportedItems([...sourceFiles('kernels/cpu'), ...sourceFiles('kernels/gpu')]);
  const gradientPairs = await exportedItems(sourceFiles('gradients').filter((f) => f.endsWith('_grad.ts')));
  const noGpu = new Map(opTypesWithoutGpuKernel().map((m) => [m.opType, m.reason]));
  const opTypes = [...new Set([...registeredOpTypes('cpu'), ...registeredOpTypes('gpu')])].sort();
  return opTypes.map((opType) => {
    const notes: string[] = [];
    const gradient = gradientPairs.filter((e) => Array.isArray(e.item) && e.item[0] === opType).map((e) => e.file);
    if (getGradient(opType) === null)
      notes.push(`not differentiable: ${NOT_DIFFERENTIABLE[opType] ?? '(no reason given)'}`);
    if (getGradient(opType) === undefined) notes.push(`no gradient: ${NO_GRADIENT[opType] ?? '(no reason given)'}`);
    const cpuSpec = getKernel(opType, 'cpu');
    const gpuSpec = getKernel(opType, 'gpu');
    if (!gpuSpec && HOST_OP_TYPES.has(opType)) notes.push('host op: runs on the host on every device');
    else if (!gpuSpec) notes.push(`cpu only: ${noGpu.get(opType) ?? '(no reason given)'}`);
    return {
      opType,
      forward: forwardFiles(opType, builders),
      gradient,
      cpu: cpuSpec ? definingFiles(cpuSpec, kernels) : [],
      gpu: gpuSpec ? definingFiles(gpuSpec, kernels) : [],
      notes,
    };
  });
}

/** OPS.md: the generated table, one row per op type. */
export function opsTableMarkdown(rows: readonly OpRow[]): string {
  const cell = (files: readonly string[]) =>
    files.length === 0 ? '—' : files.map((f) => `[${f}](src/${f})`).join(', ');
  const lines = [
    '# Ops of @tsflow/core',
    '',
    '<!-- GENERATED from the kernel and gradient registries by src/ops_table.test.ts; do not edit.',
    '     Regenerate with `npm run ops:table -w @tsflow/core` (the test fails while this file is stale). -->',
    '',
    `Every op type (${rows.length}), where it is built (forward), differentiated, and computed on each device;`,
    'paths are relative to `packages/core/src`. A missing role always has its reason in the notes.',
    '',
    '| op | forward | gradient | cpu kernel | gpu kernel | notes |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| \`${r.opType}\` | ${cell(r.forward)} | ${cell(r.gradient)} | ${cell(r.cpu)} | ${cell(r.gpu)} | ${r.notes.join('; ')} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
