#!/usr/bin/env node
// The `tsflow` command as npm links it. This file is committed (not built), so `npm ci` on a
// fresh clone can link it and `npx tsflow` works at once: when the compiled CLI or one of the
// workspace packages it imports has no dist yet, it builds them first (once, through turbo),
// then runs the compiled CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const cliRoot = new URL('../', import.meta.url);
const main = new URL('dist/main.js', cliRoot);

if (missingBuilds().length > 0) buildWorkspace();
await import(main.href);

/** The compiled entry points this CLI needs that are not on disk. */
function missingBuilds() {
  const manifest = JSON.parse(readFileSync(new URL('package.json', cliRoot), 'utf8'));
  const entries = [main.href];
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (name.startsWith('@tsflow/')) entries.push(import.meta.resolve(name));
  }
  return entries.filter((url) => !existsSync(fileURLToPath(url)));
}

function buildWorkspace() {
  const repoRoot = fileURLToPath(new URL('../../', cliRoot));
  let turbo;
  try {
    turbo = createRequire(import.meta.url).resolve('turbo/bin/turbo');
  } catch {
    fail(
      `tsflow is not built (${missingBuilds().join(', ')}) and turbo is not installed: run 'npm ci' and 'npm run build' in ${repoRoot}`,
    );
  }
  process.stderr.write('tsflow: first run on this checkout, building the CLI and the packages it uses (once)...\n');
  const result = spawnSync(
    process.execPath,
    [turbo, 'run', 'build', '--filter=@tsflow/cli...', '--output-logs=errors-only'],
    {
      cwd: repoRoot,
      stdio: ['ignore', process.stderr, process.stderr],
    },
  );
  if (result.status !== 0 || missingBuilds().length > 0) {
    fail(
      `tsflow: building the workspace failed (exit ${result.status ?? result.signal}); run 'npm run build' in ${repoRoot} to see why`,
    );
  }
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
