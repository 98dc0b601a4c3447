import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCheckpoint } from '@tsflow/train';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const digits = fileURLToPath(new URL('../../../test-fixtures/parquet/digits.parquet', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-sigint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the built CLI; `onStderr` sees stderr as it arrives and may signal the child. */
function run(
  args: string[],
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
      onStderr?.(err, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('tsflow train and Ctrl-C', () => {
  it('the first SIGINT saves a checkpoint and exits 130; --resume finishes the run', async () => {
    const config = join(dir, 'digits.json');
    await writeFile(
      config,
      JSON.stringify({
        data: digits,
        features: ['pixels'],
        label: 'label',
        hidden: [32],
        epochs: 4,
        outputDir: 'run',
        checkpointEvery: { epochs: 10 },
      }),
    );
    let signalled = false;
    const first = await run(['train', config], (err, child) => {
      if (!signalled && /epoch 1\/4 /.test(err)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    expect(first.err).toMatch(/tsflow train: interrupted: saving a checkpoint \(Ctrl-C again to exit at once\)/);
    expect(first.code).toBe(130);
    expect(first.out).toMatch(/^aborted: 2 epochs, \d+ steps/);
    const saved = latestCheckpoint(join(dir, 'run'));
    expect(saved).toMatch(/model-\d+$/);
    const resumed = await run(['train', config, '--resume', '--quiet']);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/^completed: 4 epochs, 180 steps, loss \d\.\d{4}, held-out accuracy \d+\.\d%/);
  });
});
