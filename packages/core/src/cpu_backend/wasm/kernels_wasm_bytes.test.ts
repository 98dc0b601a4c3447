import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageRoot = resolve(import.meta.dirname, '../../..');

describe('kernels_wasm_bytes.ts', () => {
  it('is exactly what the committed .wat sources compile to (no .wat edit without a rebuild)', () => {
    const check = spawnSync(process.execPath, ['scripts/build-wasm-kernels.mjs', '--check'], {
      cwd: packageRoot,
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(/kernels_wasm_bytes\.ts matches .*gemm\.wat/);
    expect(check.status).toBe(0);
  });
});
