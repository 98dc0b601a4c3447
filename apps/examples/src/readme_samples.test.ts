import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every ```ts block of the top README must compile as written (```ts fragment blocks are
// excerpts and are skipped). They are type-checked as ES modules of this workspace, so their
// imports resolve to the built packages, as a user's code would.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const workDir = fileURLToPath(new URL('../.readme-samples/', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

function typecheck(project: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, '-p', project], (error, stdout, stderr) => {
      resolve({ code: error ? 1 : 0, output: stdout + stderr });
    });
  });
}

describe('README samples', () => {
  it('every ts block of README.md typechecks with tsc', async () => {
    const blocks = tsBlocks(await readFile(`${repoRoot}README.md`, 'utf8'));
    expect(blocks.length).toBeGreaterThan(0);
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    await Promise.all(blocks.map((code, i) => writeFile(`${workDir}sample_${i}.mts`, code)));
    const config = {
      extends: '../../../tsconfig.base.json',
      compilerOptions: { noEmit: true, types: ['node'] },
      include: ['*.mts'],
    };
    await writeFile(`${workDir}tsconfig.json`, JSON.stringify(config));
    const { code, output } = await typecheck(workDir);
    expect(output).toBe('');
    expect(code).toBe(0);
    await rm(workDir, { recursive: true, force: true });
  });
});
