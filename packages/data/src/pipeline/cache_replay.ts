import { InvalidArgumentError } from '@tsflow/core';
import { END_OF_SEQUENCE, type Stage, type StageState, type SyncPull } from './stage.js';
import { PullIterator } from './pull.js';
import { decodeElement } from './element_codec.js';
import { stageFailure } from './stage_errors.js';
import { LineReader } from './line_file.js';

/** Replays a completed in-memory cache. */
export class ReplayIterator<T> extends PullIterator<T> {
  constructor(
    private readonly rows: readonly T[],
    private position: number,
  ) {
    super();
  }

  nextSync(): SyncPull<T> {
    return this.position < this.rows.length ? this.rows[this.position++]! : END_OF_SEQUENCE;
  }

  protected nextAsync(): Promise<typeof END_OF_SEQUENCE> {
    return Promise.resolve(END_OF_SEQUENCE);
  }

  saveState(): StageState {
    return { position: this.position };
  }

  async close(): Promise<void> {
    this.position = this.rows.length;
  }
}

/** Replays a completed cache file, checking that its header names the same pipeline. */
export class FileReplayIterator<T> extends PullIterator<T> {
  private readonly reader: LineReader;
  private position = 0;

  constructor(
    private readonly stage: Stage<unknown>,
    path: string,
    expectedHeader: string,
    skip: number,
  ) {
    super();
    this.reader = new LineReader(path);
    const header = this.reader.nextLine();
    if (header !== expectedHeader) {
      this.reader.close();
      throw new InvalidArgumentError(
        `cache file ${path} was written by another pipeline or format: its header is ${header?.slice(0, 200)}, expected ${expectedHeader}; delete it to rebuild the cache`,
      );
    }
    while (this.position < skip && this.nextSync() !== END_OF_SEQUENCE);
  }

  nextSync(): SyncPull<T> {
    const line = this.reader.nextLine();
    if (line === undefined) return END_OF_SEQUENCE;
    this.position++;
    try {
      return decodeElement(JSON.parse(line)) as T;
    } catch (error) {
      throw stageFailure(
        this.stage,
        new InvalidArgumentError(
          `cache file ${this.reader.path}: line ${this.position + 1} is not valid: ${(error as Error).message}`,
        ),
      );
    }
  }

  protected nextAsync(): Promise<typeof END_OF_SEQUENCE> {
    return Promise.resolve(END_OF_SEQUENCE);
  }

  saveState(): StageState {
    return { position: this.position };
  }

  async close(): Promise<void> {
    this.reader.close();
  }
}
