import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph, Variable, constant, identity, placeholder } from '@tsflow/core';
import { runCli } from './run_cli.js';

const fixtures = fileURLToPath(new URL('../../../test-fixtures/', import.meta.url));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tsflow CLI', () => {
  it('prints usage for help and fails on unknown commands or options', async () => {
    expect((await cli('help')).out[0]).toMatch(/^usage: tsflow <command>/);
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/unknown command 'frobnicate'/);
    const badOption = await cli('head', `${fixtures}parquet/iris.parquet`, '--bogus');
    expect(badOption.code).toBe(1);
    expect(badOption.err[0]).toMatch(/Unknown option '--bogus'/);
    expect((await cli('head', `${fixtures}parquet/iris.parquet`, '-n', 'zero')).err[0]).toMatch(/--n must be a positive integer, got 'zero'/);
  });

  it('inspects Parquet (footer layout) and Arrow files, describing batch columns', async () => {
    const parquet = await cli('inspect', `${fixtures}parquet/digits.parquet`);
    expect(parquet.code).toBe(0);
    expect(parquet.out[0]).toMatch(/digits\.parquet: Parquet, 1797 rows, \d+ row groups, [\d.]+ KiB$/);
    expect(parquet.out).toContain('  pixels: NDArray float32[n,64]');
    expect(parquet.out).toContain('  label: NDArray int32[n]');
    const arrow = await cli('inspect', `${fixtures}arrow/iris.arrow`);
    expect(arrow.out[0]).toMatch(/iris\.arrow: Arrow IPC, 150 rows$/);
    expect(arrow.out).toContain('  sepal_length: NDArray float32[n]');
    const types = await cli('inspect', `${fixtures}parquet/types/types_zstd.parquet`);
    expect(types.out.some((l) => /row group 0: \d+ rows, .* ZSTD$/.test(l))).toBe(true);
    expect(types.out).toContain('  name: array of string or null (one per row)');
    expect(types.out).toContain('  ts: array of Date or null (one per row)');
    expect((await cli('inspect', `${fixtures}parquet/corrupt/iris_bad_magic.parquet`)).err[0]).toMatch(/is not a Parquet file/);
  });

  it('heads a Parquet file with a column projection', async () => {
    const { code, out } = await cli('head', `${fixtures}parquet/iris.parquet`, '-n', '3', '--columns', 'target');
    expect(code).toBe(0);
    expect(out).toEqual(['{"target":0}', '{"target":0}', '{"target":0}']);
  });

  it('converts Parquet to Arrow IPC and back, keeping rows', async () => {
    const arrow = join(dir, 'iris.arrow');
    const parquet = join(dir, 'iris.parquet');
    expect((await cli('convert', `${fixtures}parquet/iris.parquet`, arrow)).code).toBe(0);
    expect((await cli('convert', arrow, parquet, '--compression', 'zstd')).code).toBe(0);
    const original = await cli('head', `${fixtures}parquet/iris.parquet`, '-n', '150');
    const roundTripped = await cli('head', parquet, '-n', '150');
    expect(roundTripped.out).toEqual(original.out);
    expect(roundTripped.out).toHaveLength(150);
    expect((await cli('convert', parquet, join(dir, 'x.arrow'), '--compression', 'zstd')).err[0]).toMatch(
      /^tsflow convert: --compression only applies to a Parquet output, not '.*x\.arrow'$/,
    );
    expect((await cli('convert', arrow, join(dir, 'x.parquet'), '--compression', 'rar')).err[0]).toMatch(/unknown compression "rar"/);
  });

  it('names files it cannot read or formats it cannot tell', async () => {
    const missing = await cli('head', join(dir, 'missing.parquet'));
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toMatch(/missing\.parquet/);
    expect((await cli('head', join(dir, 'data.csv'))).err[0]).toMatch(/cannot tell the format of '.*data\.csv'/);
  });

  it('lists the ops of a saved graph', async () => {
    const g = new Graph();
    g.asDefault(() => {
      const x = placeholder('float32', [null, 2], { name: 'x' });
      new Variable(constant([1, 2]), { name: 'w' });
      identity(x, { name: 'y' });
    });
    const file = join(dir, 'graph.json');
    await writeFile(file, JSON.stringify(g.toJSON()));
    const { code, out } = await cli('graph', file);
    expect(code).toBe(0);
    expect(out).toContain('x  Placeholder() -> float32[?,2]');
    expect(out).toContain('y  Identity(x:0) -> float32[?,2]');
    expect(out[out.length - 1]).toBe(`${g.operations.length} operations`);
    await writeFile(join(dir, 'bad.json'), '{ nope');
    expect((await cli('graph', join(dir, 'bad.json'))).err[0]).toMatch(/cannot read graph JSON from '.*bad\.json'/);
  });

  it('trains the digits example for one epoch', async () => {
    const { code, out } = await cli('train', 'digits', '--epochs', '1');
    expect(code).toBe(0);
    expect(out.some((l) => /^epoch  1  loss \d+\.\d{4}  test accuracy/.test(l))).toBe(true);
    expect((await cli('train', 'mnist')).err[0]).toMatch(/unknown model 'mnist': available models are: digits/);
    expect((await cli('train', 'digits', '--device', 'tpu')).err[0]).toMatch(/--device must be cpu, gpu or auto, got 'tpu'/);
    expect((await cli('train', 'digits', '--seed=-1')).err[0]).toMatch(/--seed must be a non-negative integer, got '-1'/);
    expect((await cli('train', 'digits', '--epochs', '')).err[0]).toMatch(/--epochs must be a positive integer, got ''/);
  });

  it('trains on the gpu.js device too', async () => {
    const { code, out } = await cli('train', 'digits', '--epochs', '1', '--device', 'gpu', '--hidden', '16');
    expect(code).toBe(0);
    expect(out.some((l) => /^epoch  1  loss \d+\.\d{4}/.test(l))).toBe(true);
  });
});
