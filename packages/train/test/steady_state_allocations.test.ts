import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Issue 12's "zero new ArrayBuffers per training step": the bench's allocation counter (it
 * replaces the ArrayBuffer and typed-array constructors before tsflow loads, so it runs in a
 * child process) over steady-state steps of the bench's MLP and CNN (whose second convolution
 * takes the Winograd path). run(train) allocates nothing; run([loss, train]) only the fetched loss.
 */
const bench = resolve(import.meta.dirname, '../bench/training_step.bench.mjs');

describe.each(['mlp', 'cnn'])('a %s training step in steady state', (model) => {
  it('allocates no ArrayBuffer (one for a fetched loss)', () => {
    const job = JSON.stringify({ kind: 'allocations', model, sessionOptions: {} });
    const child = spawnSync(process.execPath, [bench, '--child', job], { encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const counts = JSON.parse(child.stdout.trim().split('\n').pop()!) as { perTrainStep: number; perLossStep: number };
    expect(counts).toEqual({ perTrainStep: 0, perLossStep: 1 });
  });
});
