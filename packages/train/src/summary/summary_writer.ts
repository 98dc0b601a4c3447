import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FailedPreconditionError, type Graph, InvalidArgumentError, type NDArray } from '@tsflow/core';
import { type EventPayload, type SessionStatus, encodeEvent } from './event_encode.js';
import { encodeGraphDef } from './graph_def.js';
import { buildHistogram } from './histogram.js';
import { frameRecord, frameRecords } from './tfrecord.js';

export interface SummaryWriterOptions {
  /** Buffered events are written at least this often (default 5 s); also on `flush()` and `close()`. */
  flushSeconds?: number;
  /** Write as soon as this many events are buffered (default 1000). */
  maxQueue?: number;
}

/**
 * Writes TensorBoard event files: `<logdir>/events.out.tfevents.<secs>.<host>`, TFRecord-framed
 * `tensorflow.Event` protos, first `file_version: "brain.Event:2"`. Events are buffered in
 * memory and appended in batches, never one write per scalar.
 *
 * @example
 * const writer = new SummaryWriter('runs/digits');
 * writer.addGraph(graph);
 * writer.addScalar('loss', 0.42, step);
 * await writer.close();   // then: npx tensorboard --logdir runs
 */
export class SummaryWriter {
  readonly logdir: string;
  /** The event file this writer appends to. */
  readonly path: string;
  /**
   * Events not yet written. They are encoded and framed at flush time, in one batch: adding a
   * scalar on the training loop's hot path only records its numbers.
   */
  private readonly pending: { wallTime: number; step: number; payload: EventPayload }[] = [];
  private readonly maxQueue: number;
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(logdir: string, options: SummaryWriterOptions = {}) {
    if (typeof logdir !== 'string' || logdir === '')
      throw new InvalidArgumentError(`SummaryWriter: logdir must be a non-empty string, got ${JSON.stringify(logdir)}`);
    const { flushSeconds = 5, maxQueue = 1000 } = options;
    if (!(Number.isFinite(flushSeconds) && flushSeconds > 0))
      throw new InvalidArgumentError(`SummaryWriter: flushSeconds must be a positive number, got ${flushSeconds}`);
    if (!(Number.isInteger(maxQueue) && maxQueue > 0))
      throw new InvalidArgumentError(`SummaryWriter: maxQueue must be a positive integer, got ${maxQueue}`);
    this.logdir = logdir;
    this.maxQueue = maxQueue;
    mkdirSync(logdir, { recursive: true });
    const base = join(logdir, `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${hostname()}`);
    let path = base;
    // Two writers in one second must not share a file (TensorBoard reads any name containing 'tfevents').
    for (let n = 1; existsSync(path); n++) path = `${base}.${process.pid}.${n}`;
    this.path = path;
    // The file exists (with its version event) as soon as the writer does, as in TF.
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, frameRecord(encodeEvent(Date.now() / 1000, 0, { fileVersion: 'brain.Event:2' })));
    } finally {
      closeSync(fd);
    }
    this.timer = setInterval(() => void this.flush().catch(() => undefined), flushSeconds * 1000);
    this.timer.unref();
  }

  /** A scalar (TF1 `simple_value`), e.g. `loss` at `step`. */
  addScalar(tag: string, value: number, step: number): void {
    if (typeof value !== 'number')
      throw new InvalidArgumentError(`SummaryWriter.addScalar('${tag}'): value must be a number, got ${typeof value}`);
    this.add(step, { summary: [{ tag: checkTag(tag), scalar: value }] }, 'addScalar');
  }

  /**
   * Several scalars at one step in ONE event (one Summary with a value per tag, as TF's merged
   * summaries are): what the Trainer writes every `logEvery` steps for the loss and metrics.
   */
  addScalars(values: Readonly<Record<string, number>>, step: number): void {
    const summary = Object.entries(values).map(([tag, value]) => {
      if (typeof value !== 'number')
        throw new InvalidArgumentError(
          `SummaryWriter.addScalars('${tag}'): value must be a number, got ${typeof value}`,
        );
      return { tag: checkTag(tag), scalar: value };
    });
    this.add(step, { summary }, 'addScalars');
  }

  /** A histogram of `values` with TF's default buckets (non-finite values are left out). */
  addHistogram(tag: string, values: NDArray | readonly number[], step: number): void {
    this.add(step, { summary: [{ tag: checkTag(tag), histogram: buildHistogram(values) }] }, 'addHistogram');
  }

  /** A text summary (TensorBoard's Text tab renders it as Markdown). */
  addText(tag: string, text: string, step: number): void {
    if (typeof text !== 'string')
      throw new InvalidArgumentError(`SummaryWriter.addText('${tag}'): text must be a string, got ${typeof text}`);
    this.add(step, { summary: [{ tag: checkTag(tag), tensor: text, pluginName: 'text' }] }, 'addText');
  }

  /** The graph as a GraphDef, for TensorBoard's Graphs tab. */
  addGraph(graph: Graph, step = 0): void {
    this.add(step, { graphDef: encodeGraphDef(graph) }, 'addGraph');
  }

  /** A SessionLog; `START` at a resumed step makes TensorBoard drop the older run's later points. */
  addSessionLog(status: SessionStatus, step: number, checkpointPath?: string): void {
    this.add(
      step,
      { sessionLog: { status, ...(checkpointPath === undefined ? {} : { checkpointPath }) } },
      'addSessionLog',
    );
  }

  /** Appends every buffered event to the file. */
  flush(): Promise<void> {
    if (this.pending.length === 0) return this.writing;
    const batch = frameRecords(
      this.pending.splice(0).map(({ wallTime, step, payload }) => encodeEvent(wallTime, step, payload)),
    );
    this.writing = this.writing.then(async () => {
      const handle = await open(this.path, 'a');
      try {
        await handle.writeFile(batch);
      } finally {
        await handle.close();
      }
    });
    return this.writing;
  }

  /** Flushes and stops the timer; later `add*` calls throw. */
  async close(): Promise<void> {
    if (this.closed) return this.writing;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }

  private add(step: number, payload: EventPayload, method: string): void {
    if (this.closed)
      throw new FailedPreconditionError(`SummaryWriter.${method}: the writer for '${this.path}' is closed`);
    if (!Number.isSafeInteger(step) || step < 0)
      throw new InvalidArgumentError(`SummaryWriter.${method}: step must be a non-negative integer, got ${step}`);
    this.pending.push({ wallTime: Date.now() / 1000, step, payload });
    if (this.pending.length >= this.maxQueue) void this.flush().catch(() => undefined);
  }
}

function checkTag(tag: string): string {
  if (typeof tag !== 'string' || tag === '')
    throw new InvalidArgumentError(`SummaryWriter: tag must be a non-empty string, got ${JSON.stringify(tag)}`);
  return tag;
}
