#!/usr/bin/env node
// `npm run lint`: Biome (format + lint rules in biome.json) over the tree, then the file-size gate.
// `npm run lint -- --fix` lets Biome rewrite what it can (formatting, safe fixes) before checking.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fix = process.argv.includes('--fix');
const run = (command, args) =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

const biome = run('npx', ['--no-install', 'biome', 'check', ...(fix ? ['--write'] : []), '--error-on-warnings', '.']);
const sizes = run(process.execPath, ['scripts/check-file-sizes.mjs']);
process.exit(biome !== 0 ? biome : sizes);
