import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCheckpoint, readCheckpoint, TRAINER_STATE_KEY } from '../src/index.js';

const child = fileURLToPath(new URL('./fixtures/train_child.mjs', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-kill-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the training child; `killAfterStep` SIGKILLs it once it reports that step. */
function train(
  checkpointDir: string,
  options: { resume?: boolean; killAfterStep?: number } = {},
): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve, reject) => {
    const args = [child, checkpointDir, ...(options.resume ? ['resume'] : [])];
    const proc = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SLOW_MS: options.killAfterStep ? '2' : '0' },
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      if (options.killAfterStep !== undefined && out.includes(`step ${options.killAfterStep}\n`)) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

/** Every tensor of a checkpoint as raw bytes, by name. */
async function tensorBytes(path: string): Promise<Record<string, number[]>> {
  const file = await readCheckpoint(path);
  const out: Record<string, number[]> = {};
  for (const [name, entry] of file.entries)
    out[name] = [...file.bytes.subarray(file.dataStart + entry.begin, file.dataStart + entry.end)];
  return out;
}

describe('kill test: SIGKILL mid-epoch, resume, identical weights', () => {
  it('ends with bit-identical variables to an uninterrupted run', async () => {
    const reference = await train(join(dir, 'reference'));
    expect(reference.code).toBe(0);
    expect(reference.out).toMatch(/done 120 completed /);

    const killedDir = join(dir, 'killed');
    const killed = await train(killedDir, { killAfterStep: 57 });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.out).not.toMatch(/done/);
    // The kill left a restorable checkpoint from inside epoch 1 (steps 41-80) or later, never the end.
    const interrupted = latestCheckpoint(killedDir)!;
    const state = JSON.parse((await readCheckpoint(interrupted)).metadata[TRAINER_STATE_KEY]!) as {
      step: number;
      epoch: number;
      stepInEpoch: number;
    };
    expect(state.step).toBeGreaterThanOrEqual(55);
    expect(state.step).toBeLessThan(120);

    const resumed = await train(killedDir, { resume: true });
    expect(resumed.code).toBe(0);
    expect(resumed.out.split('\n')[0]).toBe(`step ${state.step + 1}`);
    // Same final step, same per-epoch losses, same bytes in every variable, slot and counter.
    expect(resumed.out.match(/done .*/)![0]).toBe(reference.out.match(/done .*/)![0]);
    expect(await tensorBytes(latestCheckpoint(killedDir)!)).toEqual(
      await tensorBytes(latestCheckpoint(join(dir, 'reference'))!),
    );
  });
});
