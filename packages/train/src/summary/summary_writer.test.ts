import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DataLossError,
  Graph,
  Variable,
  add,
  constant,
  controlDependencies,
  matMul,
  nameScope,
  ndarray,
  placeholder,
} from '@tsflow/core';
import { readEvents } from './read_events.js';
import { SummaryWriter } from './summary_writer.js';
import type { ReadEvent } from './event_decode.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-events-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function all(path: string): Promise<ReadEvent[]> {
  const events: ReadEvent[] = [];
  for await (const event of readEvents(path)) events.push(event);
  return events;
}

describe('SummaryWriter', () => {
  it('creates events.out.tfevents.<secs>.<host> starting with the file_version event', async () => {
    const writer = new SummaryWriter(join(dir, 'run'));
    await writer.close();
    expect(basename(writer.path)).toMatch(/^events\.out\.tfevents\.\d{10}\.[^/]+$/);
    const [first, ...rest] = await all(join(dir, 'run'));
    expect(first!.fileVersion).toBe('brain.Event:2');
    expect(rest).toEqual([]);
  });

  it('round-trips scalars, histograms, text and a session log', async () => {
    const writer = new SummaryWriter(dir);
    writer.addScalar('loss', 0.5, 1);
    writer.addScalar('loss', 0.25, 2);
    writer.addHistogram('weights', ndarray([-1, 0, 0.5, 2, Number.NaN]), 2);
    writer.addText('notes', '**hello**', 3);
    writer.addSessionLog('START', 2, 'ckpt-2');
    await writer.close();
    const events = (await all(dir)).slice(1);
    expect(events.map((e) => [e.step, e.scalars])).toEqual([
      [1, { loss: 0.5 }],
      [2, { loss: 0.25 }],
      [2, undefined],
      [3, undefined],
      [2, undefined],
    ]);
    const h = events[2]!.histograms!['weights']!;
    expect({ min: h.min, max: h.max, num: h.num, sum: h.sum, sumSquares: h.sumSquares }).toEqual({
      min: -1,
      max: 2,
      num: 4,
      sum: 1.5,
      sumSquares: 5.25,
    });
    expect(h.bucket.reduce((a, b) => a + b, 0)).toBe(4);
    // Each value lies in the bucket that ends at the first limit above it (TF's upper_bound).
    const bucketOf = (v: number) => h.bucketLimit.findIndex((limit) => limit > v);
    expect(h.bucket[bucketOf(-1)]).toBe(1);
    expect(h.bucketLimit[bucketOf(2)]).toBeGreaterThan(2);
    expect(h.bucketLimit[bucketOf(2)]).toBeLessThan(2.2);
    expect(events[3]!.texts).toEqual({ notes: '**hello**' });
    expect(events[4]!.sessionLog).toEqual({ status: 'START', checkpointPath: 'ckpt-2', msg: '' });
  });

  it('writes several scalars of one step as one event; a double past float32 range is Infinity, as a float', async () => {
    const writer = new SummaryWriter(dir);
    writer.addScalars({ loss: 0.125, accuracy: 0.75 }, 4);
    writer.addScalar('big', 1e39, 5);
    expect(() => writer.addScalars({ loss: '0.5' as unknown as number }, 6)).toThrow(
      /^SummaryWriter\.addScalars\('loss'\): value must be a number, got string$/,
    );
    await writer.close();
    const events = (await all(dir)).slice(1);
    expect(events.map((e) => [e.step, e.scalars])).toEqual([
      [4, { loss: 0.125, accuracy: 0.75 }],
      [5, { big: Number.POSITIVE_INFINITY }],
    ]);
  });

  it('writes the graph as a GraphDef: scoped names, op types, inputs with ^control, dtype and shape attrs', async () => {
    const g = new Graph();
    g.asDefault(() => {
      const x = placeholder('float32', [null, 3], { name: 'x' });
      nameScope('dense', () => {
        const w = new Variable(constant([[1], [2], [3]]), { name: 'kernel' });
        const y = matMul(x, w, { transposeB: false });
        controlDependencies([w.initializer], () => add(y, 1, { name: 'out' }));
      });
    });
    const writer = new SummaryWriter(dir);
    writer.addGraph(g);
    await writer.close();
    const graph = (await all(dir)).find((e) => e.graph)!.graph!;
    const node = (name: string) => graph.nodes.find((n) => n.name === name)!;
    expect(graph.nodes.map((n) => n.name)).toEqual(g.operations.map((op) => op.name));
    expect(node('x')).toMatchObject({
      op: 'Placeholder',
      inputs: [],
      attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: [null, 3] } },
    });
    expect(node('dense/kernel').op).toBe('VariableV2');
    const matmul = graph.nodes.find((n) => n.op === 'MatMul')!;
    expect(matmul.inputs).toEqual(['x', 'dense/kernel']);
    expect(matmul.attr).toMatchObject({
      T: { type: 'DT_FLOAT' },
      transpose_b: { b: false },
      _output_shapes: { list: { shape: [[null, 1]] } },
    });
    expect(node('dense/out').inputs).toEqual(['dense/MatMul', 'dense/Const_1', '^dense/kernel/Assign']);
    expect(node('dense/kernel/Assign')).toMatchObject({
      op: 'Assign',
      inputs: ['dense/kernel', 'dense/Const'],
      attr: { T: { type: 'DT_FLOAT' } },
    });
    expect(node('dense/Const').attr['value']).toMatchObject({
      tensor: { dtype: 1, shape: [3, 1], numbers: [1, 2, 3] },
    });
  });

  it('writes the graph as it is when added: an op added since the last addGraph is in the next GraphDef', async () => {
    const g = new Graph();
    g.asDefault(() => constant(1, { name: 'one' }));
    const writer = new SummaryWriter(dir);
    writer.addGraph(g);
    g.asDefault(() => constant(2, { name: 'two' }));
    writer.addGraph(g, 1);
    await writer.close();
    const graphs = (await all(dir)).filter((e) => e.graph).map((e) => e.graph!.nodes.map((n) => n.name));
    expect(graphs).toEqual([['one'], ['one', 'two']]);
  });

  it('buffers events: nothing is appended until flush(), the timer or close()', async () => {
    const writer = new SummaryWriter(dir, { flushSeconds: 3600 });
    const sizeAfterCreate = (await stat(writer.path)).size;
    for (let step = 0; step < 50; step++) writer.addScalar('loss', step, step);
    expect((await stat(writer.path)).size).toBe(sizeAfterCreate);
    await writer.flush();
    expect((await stat(writer.path)).size).toBeGreaterThan(sizeAfterCreate);
    await writer.close();
    expect(() => writer.addScalar('loss', 1, 1)).toThrow(/^SummaryWriter\.addScalar: the writer for '.*' is closed$/);
  });

  it('reads back with both CRCs checked: a flipped byte is a DataLossError', async () => {
    const writer = new SummaryWriter(dir);
    writer.addScalar('loss', 0.5, 1);
    await writer.close();
    const bytes = await readFile(writer.path);
    bytes[bytes.length - 8]! ^= 0x10;
    await writeFile(writer.path, bytes);
    await expect(all(dir)).rejects.toThrow(DataLossError);
    await expect(all(writer.path)).rejects.toThrow(
      /^Event file '.*tfevents.*' is corrupt: record at byte \d+: the data CRC does not match$/,
    );
  });

  it('validates its arguments', async () => {
    const writer = new SummaryWriter(dir);
    expect(() => writer.addScalar('', 1, 0)).toThrow(/tag must be a non-empty string, got ""/);
    expect(() => writer.addScalar('loss', 1, -1)).toThrow(/step must be a non-negative integer, got -1/);
    expect(() => writer.addText('t', 5 as never, 0)).toThrow(/text must be a string, got number/);
    await writer.close();
    expect(() => new SummaryWriter(dir, { flushSeconds: 0 })).toThrow(/flushSeconds must be a positive number, got 0/);
    await expect(all(join(dir, 'missing'))).rejects.toThrow(/readEvents: '.*missing' does not exist/);
    expect((await readdir(dir)).filter((n) => n.includes('tfevents')).length).toBe(1);
  });
});
