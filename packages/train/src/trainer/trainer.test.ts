import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, type NDArray, type Variable, ndarray } from '@tsflow/core';
import type { ProgressStream } from '@tsflow/data';
import { tinyDataset, tinyModel } from '../test_support/tiny_model.js';
import { readEvents } from '../summary/read_events.js';
import { latestCheckpoint } from '../checkpoint/checkpoint_state.js';
import { Trainer } from './trainer.js';
import { earlyStopping } from './early_stopping.js';
import { learningRateSchedule } from './standard_callbacks.js';
import type { TrainerEvent } from './trainer_types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-trainer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture(): ProgressStream & { lines: () => string[] } {
  const chunks: string[] = [];
  return {
    write: (c: string) => chunks.push(c),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== ''),
  };
}

/** Runs `fit` and returns the history and the final variable values (by name). */
async function weightsOf(trainer: { session: Trainer['session'] }): Promise<Record<string, number[]>> {
  const vars = trainer.session.graph.getCollection<Variable>('variables');
  const values = (await trainer.session.run(vars)) as NDArray[];
  return Object.fromEntries(vars.map((v, i) => [v.name, [...values[i]!.data]]));
}

function newTrainer(options: Parameters<typeof tinyModel>[0] = {}) {
  const m = tinyModel(options);
  return {
    m,
    trainer: new Trainer({ loss: m.loss, optimizer: m.optimizer, feeds: m.feeds, metrics: { accuracy: m.accuracy } }),
  };
}

describe('Trainer.fit', () => {
  it('runs ONE session.run per step and reports example-weighted epoch means', async () => {
    const { trainer } = newTrainer();
    await trainer.initializeVariables();
    let runs = 0;
    const run = trainer.session.run.bind(trainer.session);
    trainer.session.run = ((...args: Parameters<typeof run>) => {
      runs++;
      return run(...args);
    }) as typeof run;
    const history = await trainer.fit(tinyDataset(), { epochs: 3, progress: false });
    expect(runs).toBe(24);
    expect(history.stopReason).toBe('completed');
    expect(history.steps).toBe(24);
    expect(history.epochs.map((e) => [e.epoch, e.steps])).toEqual([
      [0, 8],
      [1, 8],
      [2, 8],
    ]);
    expect(history.epochs[2]!.loss).toBeLessThan(history.epochs[0]!.loss);
    expect(history.epochs[2]!.metrics['accuracy']).toBe(1);
  });

  it('weights the epoch mean by examples (a short last batch counts less)', async () => {
    const { trainer } = newTrainer({ optimizer: 'sgd', learningRate: 0 });
    // 20 rows: batches of 8, 8, 4; with lr 0 every step sees the same weights, so the epoch
    // mean must equal evaluate()'s example-weighted mean over the same rows.
    const history = await trainer.fit(tinyDataset(3, 20), { epochs: 1, progress: false });
    const evaluation = await trainer.evaluate(tinyDataset(3, 20));
    expect(history.epochs[0]!.steps).toBe(3);
    expect(history.epochs[0]!.loss).toBeCloseTo(evaluation.loss, 6);
    expect(history.epochs[0]!.metrics['accuracy']).toBeCloseTo(evaluation.accuracy!, 6);
  });

  it('validates each epoch, prints one line per epoch without a TTY, and emits events', async () => {
    const { trainer } = newTrainer();
    const stream = capture();
    const events: TrainerEvent['type'][] = [];
    trainer.events$.subscribe((e) => events.push(e.type));
    const history = await trainer.fit(tinyDataset(), {
      epochs: 2,
      validation: { dataset: tinyDataset(9) },
      progress: 'lines',
      progressStream: stream,
    });
    expect(history.epochs.every((e) => e.valLoss !== undefined && e.valMetrics?.['accuracy'] !== undefined)).toBe(true);
    const lines = stream.lines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^epoch 1\/2 {2}8 steps {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}val_loss \d\.\d{4} {2}val_accuracy [\d.]+ {2}[\d.k]+ examples\/s {2}[\d.]+ s$/,
    );
    expect(lines[1]).toMatch(/^epoch 2\/2 {2}8\/8 steps {2}loss /);
    expect(events.filter((t) => t === 'step')).toHaveLength(16);
    expect(events.filter((t) => t === 'validation')).toHaveLength(2);
    expect(events.slice(-1)).toEqual(['end']);
  });

  it('validates every N steps when asked', async () => {
    const { trainer } = newTrainer();
    const steps: number[] = [];
    trainer.events$.subscribe((e) => e.type === 'validation' && steps.push(e.step));
    await trainer.fit(tinyDataset(), {
      epochs: 2,
      validation: { dataset: tinyDataset(9), every: { steps: 5 } },
      progress: false,
    });
    expect(steps).toEqual([5, 10, 15]);
  });

  it('writes checkpoints and TensorBoard logs (graph, step loss, epoch means, validation, histograms)', async () => {
    const { trainer } = newTrainer();
    const history = await trainer.fit(tinyDataset(), {
      epochs: 2,
      checkpointDir: dir,
      logdir: join(dir, 'logs'),
      logEvery: 4,
      validation: { dataset: tinyDataset(9) },
      progress: false,
    });
    expect(history.checkpoint).toBe(join(dir, 'model-16'));
    expect(latestCheckpoint(dir)).toBe(join(dir, 'model-16'));
    expect((await readdir(dir)).filter((n) => n.endsWith('.safetensors')).sort()).toEqual([
      'model-16.safetensors',
      'model-8.safetensors',
    ]);
    const scalars: [number, string][] = [];
    let graphNodes = 0;
    let histograms = 0;
    for await (const event of readEvents(join(dir, 'logs'))) {
      for (const tag of Object.keys(event.scalars ?? {})) scalars.push([event.step, tag]);
      graphNodes += event.graph?.nodes.length ?? 0;
      histograms += Object.keys(event.histograms ?? {}).length;
    }
    expect(graphNodes).toBeGreaterThan(10);
    expect(scalars.filter(([, t]) => t === 'loss').map(([s]) => s)).toEqual([4, 8, 12, 16]);
    expect(scalars.filter(([, t]) => t === 'epoch/loss').map(([s]) => s)).toEqual([8, 16]);
    expect(scalars.filter(([, t]) => t === 'val/accuracy').map(([s]) => s)).toEqual([8, 16]);
    expect(histograms).toBe(4);
  });

  it('stops on a NaN loss without throwing, keeps the last good checkpoint and names the bad step', async () => {
    const { m, trainer } = newTrainer();
    let steps = 0;
    const poisoned = (batch: { x: NDArray; y: NDArray }) => ({
      x: ++steps === 5 ? ndarray(new Float32Array(16).fill(Number.NaN), { shape: [8, 2] }) : batch.x,
      y: batch.y,
    });
    const t2 = new Trainer({ session: trainer.session, loss: m.loss, trainOp: trainer.trainOp, feeds: poisoned });
    const history = await t2.fit(tinyDataset(), {
      epochs: 2,
      checkpointDir: dir,
      checkpointEvery: { steps: 2 },
      progress: false,
    });
    expect(history.stopReason).toBe('nonFinite');
    expect(history.steps).toBe(5);
    expect(history.message).toMatch(
      /^step 5 \(epoch 0, step 5 in it\) gave a loss of NaN; training stopped, last good checkpoint: .*model-4$/,
    );
    expect(latestCheckpoint(dir)).toBe(join(dir, 'model-4'));
    expect((await readdir(dir)).some((n) => n.startsWith('model-5'))).toBe(false);
  });

  it('stops early and restores the best epoch', async () => {
    const { trainer } = newTrainer();
    const after: Record<string, number[]>[] = [];
    // "improvement" = a larger loss, which never comes after epoch 0: stop after patience 1.
    const history = await trainer.fit(tinyDataset(), {
      epochs: 10,
      progress: false,
      callbacks: [
        earlyStopping({ monitor: 'loss', mode: 'max', patience: 1, restoreBest: true }),
        { onEpochEnd: async () => void after.push(await weightsOf(trainer)) },
      ],
    });
    expect(history.stopReason).toBe('earlyStopping');
    expect(history.epochs).toHaveLength(3);
    expect((await weightsOf(trainer))['dense/kernel']).toEqual(after[0]!['dense/kernel']);
    expect(after[2]!['dense/kernel']).not.toEqual(after[0]!['dense/kernel']);
  });

  it('names a monitor the epoch log lacks', async () => {
    const { trainer } = newTrainer();
    await expect(
      trainer.fit(tinyDataset(), { epochs: 2, progress: false, callbacks: [earlyStopping({ patience: 1 })] }),
    ).rejects.toThrow(/^earlyStopping: monitor 'valLoss' is not in the epoch's log \(available: loss, accuracy\)/);
  });

  it('applies a learning-rate schedule through the learning_rate variable', async () => {
    const { m, trainer } = newTrainer({ optimizer: 'sgd', learningRate: 0.2, learningRateVariable: true });
    const rates: number[] = [];
    await trainer.fit(tinyDataset(), {
      epochs: 3,
      progress: false,
      callbacks: [
        learningRateSchedule((epoch, rate) => (epoch === 0 ? rate : rate / 2)),
        {
          onEpochBegin: async () => void rates.push(((await trainer.session.run(m.lr as Variable)) as NDArray).item()),
        },
      ],
    });
    expect(rates.map((r) => Number(r.toFixed(6)))).toEqual([0.2, 0.1, 0.05]);
    const plain = newTrainer();
    await expect(
      plain.trainer.fit(tinyDataset(), { epochs: 1, progress: false, callbacks: [learningRateSchedule((_e, r) => r)] }),
    ).rejects.toThrow(/^learningRateSchedule: no variable named 'learning_rate' in the graph/);
  });

  it('stops on an AbortSignal after the current step and checkpoints the position', async () => {
    const { trainer } = newTrainer();
    const controller = new AbortController();
    const history = await trainer.fit(tinyDataset(), {
      epochs: 3,
      checkpointDir: dir,
      progress: false,
      signal: controller.signal,
      callbacks: [{ onStepEnd: (log) => void (log.step === 11 && controller.abort()) }],
    });
    expect(history.stopReason).toBe('aborted');
    expect(history.steps).toBe(11);
    expect(history.epochs.map((e) => e.steps)).toEqual([8, 3]);
    expect(latestCheckpoint(dir)).toBe(join(dir, 'model-11'));
  });

  it('predicts per batch', async () => {
    const { m, trainer } = newTrainer();
    const shapes: number[][] = [];
    for await (const logits of trainer.predict(tinyDataset(3, 20), m.logits)) shapes.push([...logits.shape]);
    expect(shapes).toEqual([
      [8, 2],
      [8, 2],
      [4, 2],
    ]);
  });

  it('rejects bad options with named errors', async () => {
    const { m, trainer } = newTrainer();
    expect(() => new Trainer({ loss: m.loss, feeds: m.feeds })).toThrow(/pass exactly one of optimizer or trainOp/);
    expect(() => new Trainer({ loss: m.logits, trainOp: trainer.trainOp, feeds: m.feeds })).toThrow(
      /loss 'logits:0' must be a float32 scalar/,
    );
    await expect(trainer.fit(tinyDataset(), { epochs: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(trainer.fit(tinyDataset(), { epochs: 1, checkpointEvery: { steps: 2 } })).rejects.toThrow(
      /checkpointEvery needs a checkpointDir/,
    );
    await expect(
      trainer.fit(tinyDataset(), { epochs: 1, checkpointDir: dir, checkpointEvery: { step: 2 } as never }),
    ).rejects.toThrow(/unknown key 'step'/);
  });
});

describe('exact resume', () => {
  async function uninterrupted() {
    const { trainer } = newTrainer();
    const history = await trainer.fit(tinyDataset(), {
      epochs: 3,
      progress: false,
      validation: { dataset: tinyDataset(9) },
    });
    return { history, weights: await weightsOf(trainer) };
  }

  it.each([7, 8, 13])(
    'a run stopped after step %i and resumed in a new session ends with identical weights and history',
    async (stopAt) => {
      const reference = await uninterrupted();
      const controller = new AbortController();
      const first = newTrainer();
      const options = {
        epochs: 3,
        progress: false as const,
        checkpointDir: dir,
        validation: { dataset: tinyDataset(9) },
      };
      await first.trainer.fit(tinyDataset(), {
        ...options,
        signal: controller.signal,
        callbacks: [{ onStepEnd: (log) => void (log.step === stopAt && controller.abort()) }],
      });
      const second = newTrainer(); // a new graph and session: only the checkpoint carries state
      const history = await second.trainer.fit(tinyDataset(), { ...options, resume: true });
      expect(await weightsOf(second.trainer)).toEqual(reference.weights);
      expect(history.steps).toBe(24);
      expect(history.epochs.map((e) => [e.loss, e.metrics, e.valLoss])).toEqual(
        reference.history.epochs.map((e) => [e.loss, e.metrics, e.valLoss]),
      );
    },
  );
});
