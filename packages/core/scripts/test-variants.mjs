// Runs the op, gradient, kernel and session suites once per cpu execution switch, so the
// non-default paths (fusion off, 1 or 2 threads, the JS kernels instead of WebAssembly) pass the
// same tests as the defaults. Only the cpu device: the switches don't apply to gpu.js.
//   npm run test:variants -w @tsflow/core  [-- <vitest filters>]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const VARIANTS = [{ TSFLOW_FUSION: '0' }, { TSFLOW_THREADS: '1' }, { TSFLOW_THREADS: '2' }, { TSFLOW_WASM: '0' }];
const suites =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : ['src/ops', 'src/gradients', 'src/kernels/cpu', 'src/session', 'src/cpu_backend'];
let failed = 0;
for (const variant of VARIANTS) {
  const label = Object.entries(variant)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(`\n=== ${label} ===`);
  // npx finds vitest in this package's or the workspace root's node_modules.
  const result = spawnSync('npx', ['vitest', 'run', ...suites], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TSFLOW_TEST_DEVICES: 'cpu', ...variant },
  });
  if (result.status !== 0) {
    failed++;
    console.error(`${label}: vitest exited with ${result.status ?? result.signal}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
