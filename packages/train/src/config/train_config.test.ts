import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotFoundError } from '@tsflow/core';
import { loadTrainConfig } from './load_train_config.js';
import { parseTrainConfig } from './train_config.js';
import { trainFromConfig } from './train_from_config.js';
import { latestCheckpoint } from '../checkpoint/checkpoint_state.js';

const fixtures = fileURLToPath(new URL('../../../../test-fixtures/parquet/', import.meta.url));
const iris = {
  data: join(fixtures, 'iris.parquet'),
  features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
  label: 'target',
  hidden: [16],
  epochs: 30,
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('train config', () => {
  it('fills defaults and resolves paths against the config folder', () => {
    const config = parseTrainConfig({ ...iris, data: 'iris.parquet', outputDir: 'out' }, '/base');
    expect(config).toMatchObject({
      data: ['/base/iris.parquet'],
      outputDir: '/base/out',
      optimizer: 'adam',
      learningRate: 0.01,
      batchSize: 32,
      heldOutEvery: 5,
      device: 'cpu',
    });
  });

  it.each([
    [
      { ...iris, outputDir: 'o', epoch: 3 },
      /^config: unknown key 'epoch' \(did you mean 'epochs'\?\); keys: data, features/,
    ],
    [
      { ...iris, outputDir: 'o', hidden: [16, 0] },
      /^config: 'hidden' must be a list of positive integers \(units per layer\), got \[16,0\]$/,
    ],
    [
      { ...iris, outputDir: 'o', optimizer: 'lbfgs' },
      /^config: 'optimizer' must be one of adam, sgd, momentum, rmsprop, adagrad, got "lbfgs"$/,
    ],
    [{ features: ['a'], label: 'b', epochs: 1, outputDir: 'o' }, /^config: 'data' is required$/],
    [{ ...iris, outputDir: 'o', epochs: 1.5 }, /^config: 'epochs' must be a positive integer, got 1\.5$/],
  ])('rejects a bad config in one line: %j', (raw, message) => {
    expect(() => parseTrainConfig(raw, dir)).toThrow(InvalidArgumentError);
    expect(() => parseTrainConfig(raw, dir)).toThrow(message);
  });

  it('names missing files, globs that match nothing, unknown columns and bad JSON', async () => {
    await expect(loadTrainConfig(join(dir, 'nope.json'))).rejects.toThrow(
      /^config file '.*nope\.json' does not exist$/,
    );
    await expect(loadTrainConfig(await configFile('bad.json', '{ "data": '))).rejects.toThrow(
      /^config file '.*bad\.json' is not valid JSON: /,
    );
    await expect(
      loadTrainConfig(await configFile('glob.json', { ...iris, data: 'missing/*.parquet', outputDir: 'o' })),
    ).rejects.toThrow(NotFoundError);
    await expect(
      loadTrainConfig(await configFile('glob2.json', { ...iris, data: 'missing/*.parquet', outputDir: 'o' })),
    ).rejects.toThrow(/'data' pattern '.*missing\/\*\.parquet' matches no file/);
    await expect(
      loadTrainConfig(await configFile('col.json', { ...iris, label: 'species', outputDir: 'o' })),
    ).rejects.toThrow(
      /^config: column 'species' is not in '.*iris\.parquet' \(its columns: sepal_length, sepal_width, petal_length, petal_width, target\)$/,
    );
  });

  it('trains the MLP it describes, with checkpoints and logs in outputDir', async () => {
    const path = await configFile('iris.json', {
      ...iris,
      epochs: 40,
      learningRate: 0.03,
      checkpointEvery: { epochs: 10 },
      outputDir: 'iris-run',
    });
    const config = await loadTrainConfig(path);
    const { history, classes, inputs } = await trainFromConfig(config, { progress: false });
    expect([classes, inputs]).toEqual([3, 4]);
    expect(history.epochs).toHaveLength(40);
    expect(history.epochs.at(-1)!.valMetrics!['accuracy']).toBeGreaterThan(0.85);
    expect(latestCheckpoint(join(dir, 'iris-run'))).toBe(join(dir, 'iris-run', `model-${history.steps}`));
    expect((await readdir(join(dir, 'iris-run', 'logs'))).some((n) => n.includes('tfevents'))).toBe(true);
  });
});
