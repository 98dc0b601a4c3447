import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const READ_CHUNK_BYTES = 1 << 16;
const WRITE_FLUSH_CHARS = 1 << 20;

/** Reads a UTF-8 file line by line with synchronous reads (so cache reads stay on the sync path). */
export class LineReader {
  private readonly fd: number;
  private readonly chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  /** Keeps a multi-byte character cut by a chunk boundary for the next chunk. */
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private lines: string[] = [];
  private lineIndex = 0;
  private eof = false;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  /** The next line without its newline, or undefined at the end of the file. */
  nextLine(): string | undefined {
    while (this.lineIndex >= this.lines.length) {
      if (this.eof || this.closed) return undefined;
      const bytes = readSync(this.fd, this.chunk, 0, READ_CHUNK_BYTES, null);
      if (bytes === 0) {
        this.eof = true;
        const rest = this.pending + this.decoder.end();
        this.lines = rest === '' ? [] : [rest];
        this.pending = '';
      } else {
        const parts = (this.pending + this.decoder.write(this.chunk.subarray(0, bytes))).split('\n');
        this.pending = parts.pop()!;
        this.lines = parts;
      }
      this.lineIndex = 0;
    }
    return this.lines[this.lineIndex++];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** Appends lines to an open file descriptor with synchronous, batched writes (it owns no fd). */
export class LineWriter {
  private buffered: string[] = [];
  private bufferedChars = 0;

  constructor(private readonly fd: number) {}

  writeLine(line: string): void {
    this.buffered.push(line);
    this.bufferedChars += line.length + 1;
    if (this.bufferedChars >= WRITE_FLUSH_CHARS) this.flush();
  }

  /** Writes what is buffered; call before the file is committed. */
  flush(): void {
    if (this.buffered.length === 0) return;
    const text = `${this.buffered.join('\n')}\n`;
    this.buffered = [];
    this.bufferedChars = 0;
    writeSync(this.fd, text);
  }
}
