import type { Command } from 'commander';
import { type CliIO, UsageError } from '../cli_io.js';

interface EventsOptions {
  tag?: string;
}

/** `tsflow events <logdir> [--tag loss]`: the scalars of TensorBoard event files as a table. */
export function registerEvents(program: Command, io: CliIO): void {
  program
    .command('events')
    .description(
      'print the scalars of TensorBoard event files: the latest value of every tag, or one tag as a series (--tag)',
    )
    .argument('<logdir>', 'a folder of events.out.tfevents.* files, or one such file')
    .option('--tag <tag>', 'print this tag as a series: one line per step')
    .action(async (logdir: string, options: EventsOptions) => {
      const { readScalars } = await import('@tsflow/train');
      const series = await readScalars(logdir);
      const tags = [...series.keys()].filter((tag) => series.get(tag)!.length > 0).sort();
      if (options.tag !== undefined) {
        const points = series.get(options.tag);
        if (points === undefined || points.length === 0) {
          throw new UsageError(`no scalar tag '${options.tag}' in '${logdir}' (tags: ${tags.join(', ') || 'none'})`, {
            showUsage: false,
          });
        }
        io.out(table([['step', options.tag], ...points.map((p) => [String(p.step), formatValue(p.value)])]).join('\n'));
        return;
      }
      if (tags.length === 0) {
        io.out(`no scalars in '${logdir}'`);
        return;
      }
      const rows = tags.map((tag) => {
        const points = series.get(tag)!;
        const last = points[points.length - 1]!;
        return [tag, String(last.step), formatValue(last.value), String(points.length)];
      });
      io.out(table([['tag', 'step', 'value', 'points'], ...rows]).join('\n'));
    });
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}

/** Left-aligned text columns separated by two spaces. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
}
