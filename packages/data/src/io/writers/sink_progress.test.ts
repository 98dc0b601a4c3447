import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset } from '../../dataset.js';

const digits = fileURLToPath(new URL('../../../../../test-fixtures/parquet/digits.parquet', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tsflow-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function captured(isTTY = false): {
  stream: { write(text: string): boolean; isTTY: boolean; columns: number };
  text: () => string;
} {
  let out = '';
  return {
    stream: {
      write: (text: string) => {
        out += text;
        return true;
      },
      isTTY,
      columns: 120,
    },
    text: () => out,
  };
}

describe('progress of long jobs', () => {
  it('writeParquet reports rows of the known total, rows/s and bytes, and returns { rows, bytes, seconds }', async () => {
    const { stream, text } = captured();
    const result = await Dataset.fromParquet(digits)
      .map((row) => row)
      .writeParquet(join(dir, 'a.parquet'), { progress: 'lines', progressStream: stream });
    expect(result).toMatchObject({ rows: 1797 });
    expect(result.bytes).toBeGreaterThan(1000);
    expect(result.seconds).toBeGreaterThan(0);
    expect(text()).toMatch(
      /^writeParquet .*a\.parquet {2}1797\/1797 rows {2}written \d+\.\d KiB {2}[\d.]+k? rows\/s {2}[\d.]+ s\n$/,
    );
  });

  it('a pipeline that drops rows has no total; writeArrow and a bar on a TTY report too', async () => {
    const lines = captured();
    await Dataset.fromParquet(digits)
      .filter((row) => (row.label as number) === 3)
      .writeArrow(join(dir, 'b.arrow'), { progress: 'lines', progressStream: lines.stream });
    expect(lines.text()).toMatch(/^writeArrow .*b\.arrow {2}183 rows {2}written/);
    const bar = captured(true);
    await Dataset.fromParquet(digits).writeParquet(join(dir, 'c.parquet'), {
      progress: 'bar',
      progressStream: bar.stream,
    });
    expect(bar.text()).toMatch(/1797\/1797 rows/);
  });

  it('count and forEach count elements against the source total', async () => {
    const { stream, text } = captured();
    expect(await Dataset.fromParquet(digits).count({ progress: 'lines', progressStream: stream })).toBe(1797);
    expect(text()).toMatch(/^count {2}1797\/1797 elements {2}[\d.]+k? elements\/s/);
    const each = captured();
    let seen = 0;
    await Dataset.fromParquet(digits)
      .batch(100)
      .forEach(() => void seen++, { progress: 'lines', progressStream: each.stream });
    expect(seen).toBe(18);
    expect(each.text()).toMatch(/^forEach {2}18 elements/);
  });

  it('is silent unless asked, and refuses an unknown mode', async () => {
    const { stream, text } = captured();
    await Dataset.range(5).count({ progressStream: stream });
    expect(text()).toBe('');
    await expect(Dataset.range(5).writeParquet(join(dir, 'd.parquet'), { progress: 'loud' as never })).rejects.toThrow(
      /progress: expected 'auto', 'bar', 'lines' or false, got "loud"/,
    );
  });
});
