import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The built package, as a job module outside the repo imports it. */
export const JOBS_DIST_URL = pathToFileURL(resolve(fileURLToPath(import.meta.url), '../../../dist/index.js')).href;

/** A fresh temporary folder, removed by `cleanup`. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `tsflow-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Writes a job module: `spec` is the object literal source passed to defineJob (it may use
 * `marker(name)`, which creates a file once and says whether this call created it).
 */
export async function writeJobModule(path: string, spec: string, prelude = ''): Promise<string> {
  await writeFile(
    path,
    `import { defineJob } from '${JOBS_DIST_URL}';
import { openSync, closeSync } from 'node:fs';
function marker(name) {
  try { closeSync(openSync(name, 'wx')); return true; } catch { return false; }
}
${prelude}
export default defineJob(${spec});
`,
  );
  return path;
}

/** Part files of an output folder, sorted. */
export async function partFiles(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((name) => name.startsWith('part-'))
    .sort()
    .map((name) => join(dir, name));
}
