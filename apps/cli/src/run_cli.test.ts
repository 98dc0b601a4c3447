import { copyFile, link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative as relativePath } from 'node:path';
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
  it('prints usage for help and fails on unknown commands or options with exit 2', async () => {
    expect((await cli('help')).out[0]).toMatch(/^Usage: tsflow \[options\] \[command\]/);
    expect((await cli('help', 'convert')).out[0]).toMatch(/^Usage: tsflow convert \[options\] <in> <out>/);
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/^tsflow: unknown command 'frobnicate'/);
    const badOption = await cli('head', `${fixtures}parquet/iris.parquet`, '--bogus');
    expect(badOption.code).toBe(2);
    expect(badOption.err).toEqual([
      "tsflow head: unknown option '--bogus'",
      "Usage: tsflow head [options] <file>\nRun 'tsflow head --help' for details.",
    ]);
    const badValue = await cli('head', `${fixtures}parquet/iris.parquet`, '-n', 'zero');
    expect(badValue.code).toBe(2);
    expect(badValue.err[0]).toBe("tsflow head: --lines must be a positive integer, got 'zero'");
    const missing = await cli('convert', `${fixtures}parquet/iris.parquet`);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/^tsflow convert: missing required argument 'out'/);
    expect((await cli('graph', 'a.json', 'b.json')).code).toBe(2);
  });

  it('inspects Parquet (footer layout) and Arrow files, describing batch columns', async () => {
    const parquet = await cli('inspect', `${fixtures}parquet/digits.parquet`);
    expect(parquet.code).toBe(0);
    expect(parquet.out[0]).toMatch(/digits\.parquet: Parquet, 1797 rows, \d+ row groups, [\d.]+ KiB$/);
    expect(parquet.out).toContain('  pixels: NDArray float32[n,64]');
    expect(parquet.out).toContain('  label: NDArray int32[n]');
    const arrow = await cli('inspect', `${fixtures}arrow/iris.arrow`);
    expect(arrow.out[0]).toMatch(/iris\.arrow: Arrow IPC, 150 rows$/);
    expect(arrow.out).toContain('  sepal_length: NDArray float64[n]');
    const types = await cli('inspect', `${fixtures}parquet/types/types_zstd.parquet`);
    expect(types.out.some((l) => /row group 0: \d+ rows, .* ZSTD$/.test(l))).toBe(true);
    expect(types.out).toContain('  name: array of string or null (one per row)');
    expect(types.out).toContain('  ts: array of Date or null (one per row)');
    expect((await cli('inspect', `${fixtures}parquet/corrupt/iris_bad_magic.parquet`)).err[0]).toMatch(
      /is not a Parquet file/,
    );
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
    const parquetOnly = await cli('convert', parquet, join(dir, 'x.arrow'), '--compression', 'zstd');
    expect(parquetOnly.code).toBe(2);
    expect(parquetOnly.err[0]).toMatch(
      /^tsflow convert: --compression only applies to a Parquet output, not '.*x\.arrow'$/,
    );
    expect((await cli('convert', arrow, join(dir, 'x.parquet'), '--compression', 'rar')).err[0]).toMatch(
      /unknown compression "rar"/,
    );
  });

  it('tells Parquet and Arrow apart by their first bytes, whatever the name', async () => {
    await copyFile(`${fixtures}parquet/iris.parquet`, join(dir, 'iris-parquet.dat'));
    await copyFile(`${fixtures}arrow/iris.arrow`, join(dir, 'iris-arrow.parquet'));
    const parquet = await cli('head', join(dir, 'iris-parquet.dat'), '-n', '1', '--columns', 'target');
    const arrow = await cli('head', join(dir, 'iris-arrow.parquet'), '-n', '1', '--columns', 'target');
    expect([parquet.code, arrow.code]).toEqual([0, 0]);
    expect(parquet.out).toEqual(['{"target":0}']);
    expect(arrow.out).toEqual(['{"target":0}']);
    expect((await cli('inspect', join(dir, 'iris-arrow.parquet'))).out[0]).toMatch(/: Arrow IPC, 150 rows$/);
  });

  it('refuses to convert a file onto itself, however the output is spelled', async () => {
    const input = join(dir, 'self.parquet');
    await mkdir(join(dir, 'sub'));
    await copyFile(`${fixtures}parquet/iris.parquet`, input);
    const before = await readFile(input);
    await symlink(input, join(dir, 'self-link.parquet'));
    await link(input, join(dir, 'self-hard.parquet'));
    const relative = relativePath(process.cwd(), input);
    for (const output of [
      input,
      relative,
      join(dir, 'self-link.parquet'),
      join(dir, 'self-hard.parquet'),
      join(dir, '.', 'sub', '..', 'self.parquet'),
    ]) {
      const result = await cli('convert', input, output);
      expect(result.code, output).toBe(1);
      expect(result.err[0]).toMatch(
        /^tsflow convert: the output '.*' is the input file '.*self\.parquet' itself; write to another path/,
      );
    }
    expect(await readFile(input)).toEqual(before);
  });

  it('names files it cannot read or formats it cannot tell', async () => {
    const missing = await cli('head', join(dir, 'missing.parquet'));
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toMatch(/^tsflow head: no such file: '.*missing\.parquet'$/);
    await writeFile(join(dir, 'notes.txt'), 'hello');
    expect((await cli('head', join(dir, 'notes.txt'))).err[0]).toMatch(
      /^tsflow head: cannot tell the format of '.*notes\.txt': its first bytes are not Parquet/,
    );
    expect((await cli('head', dir)).err[0]).toMatch(/is a directory, not a file/);
    await writeFile(join(dir, 'secret.parquet'), Buffer.from('PARE....PARE'));
    expect((await cli('inspect', join(dir, 'secret.parquet'))).err[0]).toMatch(
      /is a Parquet file with an encrypted footer \(magic PARE\)/,
    );
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

  it('trains from a config file, then reads its TensorBoard scalars back', async () => {
    const config = join(dir, 'iris.json');
    await writeFile(
      config,
      JSON.stringify({
        data: `${fixtures}parquet/iris.parquet`,
        features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
        label: 'target',
        hidden: [8],
        epochs: 3,
        outputDir: 'iris-run',
      }),
    );
    const trained = await cli('train', config, '--quiet');
    expect(trained.code).toBe(0);
    expect(trained.out[0]).toMatch(/^completed: 3 epochs, 12 steps, loss \d\.\d{4}, held-out accuracy \d+\.\d%$/);
    expect(trained.out[1]).toMatch(/^checkpoint: .*iris-run\/model-12$/);
    const logs = join(dir, 'iris-run', 'logs');
    const table = await cli('events', logs);
    expect(table.code).toBe(0);
    expect(table.out[0]!.split('\n')[0]).toMatch(/^tag +step +value +points$/);
    expect(table.out[0]).toMatch(/\nepoch\/loss +12 +\d\.\d+ +3\n/);
    const series = await cli('events', logs, '--tag', 'epoch/loss');
    expect(series.out[0]!.split('\n').map((l) => l.split(/ +/)[0])).toEqual(['step', '4', '8', '12']);
    const missingTag = await cli('events', logs, '--tag', 'nope');
    expect([missingTag.code, missingTag.err.length]).toEqual([2, 1]);
    expect(missingTag.err[0]).toMatch(
      /^tsflow events: no scalar tag 'nope' in '.*logs' \(tags: accuracy, epoch\/accuracy, epoch\/loss, loss, val\/accuracy, val\/loss\)$/,
    );
  });

  it('refuses a bad config with one line and exit code 2', async () => {
    const base = {
      data: `${fixtures}parquet/iris.parquet`,
      features: ['sepal_length'],
      label: 'target',
      epochs: 1,
      outputDir: 'o',
    };
    const cases: [unknown, RegExp][] = [
      [{ ...base, epoch: 2 }, /^tsflow train: config: unknown key 'epoch' \(did you mean 'epochs'\?\)/],
      [
        { ...base, features: ['petal_area'] },
        /^tsflow train: config: column 'petal_area' is not in '.*iris\.parquet' \(its columns: /,
      ],
      [
        { ...base, data: 'nowhere/*.parquet' },
        /^tsflow train: config: 'data' pattern '.*nowhere\/\*\.parquet' matches no file$/,
      ],
    ];
    for (const [content, message] of cases) {
      await writeFile(join(dir, 'bad.json'), JSON.stringify(content));
      const result = await cli('train', join(dir, 'bad.json'));
      expect([result.code, result.err.length]).toEqual([2, 1]);
      expect(result.err[0]).toMatch(message);
    }
    const missing = await cli('train', join(dir, 'absent.json'));
    expect([missing.code, missing.err]).toEqual([
      2,
      [`tsflow train: config file '${join(dir, 'absent.json')}' does not exist`],
    ]);
  });
});
