import { lstatSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidArgumentError } from '@tsflow/core';
import {
  END_OF_SEQUENCE,
  NOT_READY,
  type Stage,
  type StageIterator,
  type StageState,
  type SyncPull,
} from '../pipeline/stage.js';
import { PullIterator } from '../pipeline/pull.js';
import { encodeElement } from '../pipeline/element_codec.js';
import { describePipeline, stageFailure } from '../pipeline/stage_errors.js';
import { readCount, readUpstream } from '../pipeline/state_fields.js';
import { LineWriter } from '../pipeline/line_file.js';
import { AtomicFileSync } from '../io/writers/atomic_file_sync.js';
import { fileSystemError, notReplaceable } from '../io/writers/fs_errors.js';
import { FileReplayIterator, ReplayIterator } from '../pipeline/cache_replay.js';

const CACHE_FORMAT = 'tsflow.cache/1';

/**
 * `cache(path?)`: the first complete pass records the elements (in memory, or as JSON lines
 * at `path` with NDArrays stored byte-exact); later passes replay them without running the
 * upstream. A file is written to a temporary name and renamed only when the pass completes,
 * so an interrupted pass never leaves a file that looks complete; a partial pass records
 * nothing. The file's header names the upstream pipeline, and a file from another pipeline
 * is refused.
 */
export class CacheStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;
  private memory: T[] | undefined;

  constructor(
    private readonly input: Stage<T>,
    private readonly path?: string,
  ) {
    if (path !== undefined && (typeof path !== 'string' || path === '')) {
      throw new InvalidArgumentError(`cache: path must be a non-empty string, got ${JSON.stringify(path)}`);
    }
    this.upstream = [input];
    this.label = path === undefined ? 'Cache' : `Cache(${basename(path)})`;
  }

  open(state?: StageState): StageIterator<T> {
    const position = state === undefined ? 0 : readCount(state, 'position', this.label);
    if (this.memory !== undefined) return new ReplayIterator(this.memory, position);
    if (this.path !== undefined && this.cacheFileExists(this.path))
      return new FileReplayIterator(this, this.path, this.header(), position);
    const upstreamState = state && readUpstream(state, 'upstream', this.label);
    if (upstreamState !== undefined) {
      // Resuming a first pass mid-way: the head of the data was never recorded here, so pass
      // the rest through without recording.
      return new RecordingIterator(this, this.input.open(upstreamState), undefined, position);
    }
    const recorder = this.path === undefined ? this.memoryRecorder() : this.fileRecorder(this.path);
    // A state saved while replaying a cache that is gone now (another process): record from
    // the start again, but deliver only what comes after `position`.
    return new RecordingIterator(this, this.input.open(), recorder, 0, position);
  }

  /** A regular file at `path` is a cache to replay; a directory or device there is refused. */
  private cacheFileExists(path: string): boolean {
    const stats = lstatSync(path, { throwIfNoEntry: false });
    const refusal = notReplaceable(this.label, path, stats);
    if (refusal !== undefined) throw refusal;
    return stats !== undefined;
  }

  private header(): string {
    return JSON.stringify({ format: CACHE_FORMAT, pipeline: describePipeline(this.input) });
  }

  private memoryRecorder(): Recorder<T> {
    const rows: T[] = [];
    return {
      record: (element) => rows.push(element),
      complete: () => {
        this.memory = rows;
      },
      abandon: () => undefined,
    };
  }

  private fileRecorder(path: string): Recorder<T> {
    const file = new AtomicFileSync(this.label, path);
    const writer = new LineWriter(file.fd);
    // A full disk or a lost mount while recording is named like any other write failure.
    const writing = (action: () => void) => {
      try {
        action();
      } catch (error) {
        file.abandon();
        throw fileSystemError(this.label, path, error, [path, file.tmpPath]);
      }
    };
    writing(() => writer.writeLine(this.header()));
    return {
      record: (element) => writing(() => writer.writeLine(JSON.stringify(encodeElement(element, this.label)))),
      complete: () => {
        writing(() => writer.flush());
        file.commit();
      },
      abandon: () => file.abandon(),
    };
  }
}

const SKIPPED: unique symbol = Symbol('tsflow.cache.skipped');

interface Recorder<T> {
  record(element: T): void;
  complete(): void;
  abandon(): void;
}

/** Passes upstream elements through, recording them; completes the cache at the end. */
class RecordingIterator<T> extends PullIterator<T> {
  private done = false;

  constructor(
    private readonly stage: Stage<unknown>,
    private readonly input: StageIterator<T>,
    private recorder: Recorder<T> | undefined,
    /** Elements delivered by this pass (including ones skipped on a resume). */
    private position: number,
    /** Recorded but not delivered: elements already delivered before a resume. */
    private skipUntil = 0,
  ) {
    super();
  }

  nextSync(): SyncPull<T> {
    for (;;) {
      if (this.done) return END_OF_SEQUENCE;
      if (this.input.nextSync === undefined) return NOT_READY;
      const element = this.input.nextSync();
      if (element === NOT_READY) return NOT_READY;
      const output = this.accept(element);
      if (output !== SKIPPED) return output;
    }
  }

  protected async nextAsync(): Promise<T | typeof END_OF_SEQUENCE> {
    for (;;) {
      const result = await this.input.next();
      const output = this.accept(result.done ? END_OF_SEQUENCE : result.value);
      if (output !== SKIPPED) return output;
      const ready = this.nextSync();
      if (ready !== NOT_READY) return ready;
    }
  }

  private accept(element: T | typeof END_OF_SEQUENCE): T | typeof END_OF_SEQUENCE | typeof SKIPPED {
    try {
      if (element === END_OF_SEQUENCE) {
        this.done = true;
        const recorder = this.recorder;
        this.recorder = undefined;
        recorder?.complete();
        return END_OF_SEQUENCE;
      }
      this.recorder?.record(element);
    } catch (error) {
      this.abandon();
      throw stageFailure(this.stage, error);
    }
    this.position++;
    return this.position <= this.skipUntil ? SKIPPED : element;
  }

  private abandon(): void {
    const recorder = this.recorder;
    this.recorder = undefined;
    recorder?.abandon();
  }

  override whenReady(): Promise<void> | undefined {
    return this.input.whenReady?.();
  }

  saveState(): StageState {
    return { position: this.position, upstream: this.input.saveState() };
  }

  async close(): Promise<void> {
    this.done = true;
    this.abandon();
    await this.input.close();
  }
}
