import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The command exactly as `npm ci` links it: node_modules/.bin/tsflow -> apps/cli/bin/tsflow.js.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsflow = `${repoRoot}node_modules/.bin/tsflow`;
const fixtures = `${repoRoot}test-fixtures/`;
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(tsflow, args, { cwd: repoRoot, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('the tsflow bin, run as a child process', () => {
  it('prints its version', async () => {
    const { code, stdout } = await run('--version');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it('gives --help for every command it lists', async () => {
    const top = await run('--help');
    expect(top.code).toBe(0);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z][\w-]*) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['inspect', 'head', 'convert', 'graph']));
    const helps = await Promise.all(commands.map((command) => run(command, '--help')));
    helps.forEach((help, i) => {
      expect(help.code, commands[i]).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: tsflow ${commands[i]} `));
    });
  });

  it('exits 2 with the usage line on an unknown command or option', async () => {
    const command = await run('frobnicate');
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^tsflow: unknown command 'frobnicate'\nUsage: tsflow \[options\] \[command\]/);
    const option = await run('head', `${fixtures}parquet/iris.parquet`, '--bogus');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^tsflow head: unknown option '--bogus'\nUsage: tsflow head \[options\] <file>/);
    expect(option.stdout).toBe('');
  });

  it('lets a negative number reach the option check', async () => {
    const { code, stderr } = await run('head', `${fixtures}parquet/iris.parquet`, '--lines', '-3');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^tsflow head: --lines must be a positive integer, got '-3'\nUsage: tsflow head /);
  });

  it('leads an error with its cause, the pipeline stage after it', async () => {
    const { code, stderr } = await run('head', `${fixtures}parquet/corrupt/iris_bad_magic.parquet`);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^tsflow head: '.*iris_bad_magic\.parquet' is not a Parquet file: it starts with "JUNK", not "PAR1"\n {2}in ParquetSource\(/,
    );
  });

  it('stops quietly when the reader closes the pipe (| head -1)', async () => {
    const child = spawn(tsflow, ['head', `${fixtures}parquet/digits.parquet`, '-n', '1797'], { cwd: repoRoot });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read one chunk, then close our end: far more output follows than a pipe buffer holds.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
