/**
 * Bounds checks of a FlatBuffers table tree before a decoder trusts it (FlatBuffers' own
 * "verifier", which its JS runtime lacks): every table, vtable, field, vector and string lies
 * inside the buffer, and the walk is limited in depth and in tables visited, so a damaged
 * offset can neither read past the metadata nor make a decoder loop over billions of
 * phantom entries. Failures throw an Error saying what lies where; the caller names the file.
 * @internal
 */
export class FlatbufferVerifier {
  private readonly view: DataView;
  private tablesVisited = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits = { maxDepth: 64, maxTables: 100_000 },
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The root table of the buffer. */
  root(what: string): FlatTable {
    this.need(0, 4, 'the root offset');
    return this.table(this.follow(0, what), what, 0);
  }

  /** The table at `position` (its vtable and inline part inside the buffer). */
  table(position: number, what: string, depth: number): FlatTable {
    if (depth > this.limits.maxDepth) this.fail(`${what} is nested more than ${this.limits.maxDepth} levels deep`);
    if (++this.tablesVisited > this.limits.maxTables)
      this.fail(`the metadata holds more than ${this.limits.maxTables} tables`);
    this.need(position, 4, what);
    const vtable = position - this.view.getInt32(position, true);
    this.need(vtable, 4, `the vtable of ${what}`);
    const vtableSize = this.view.getUint16(vtable, true);
    const inlineSize = this.view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0) this.fail(`the vtable of ${what} claims ${vtableSize} bytes`);
    this.need(vtable, vtableSize, `the vtable of ${what}`);
    if (inlineSize < 4) this.fail(`${what} claims ${inlineSize} bytes`);
    this.need(position, inlineSize, what);
    return new FlatTable(this, position, vtable, vtableSize, inlineSize, what, depth);
  }

  /** Where the offset stored at `at` points (forward, inside the buffer). */
  follow(at: number, what: string): number {
    this.need(at, 4, `the offset to ${what}`);
    const target = at + this.view.getUint32(at, true);
    this.need(target, 4, what);
    return target;
  }

  /** A vector's element count, its elements checked to lie inside the buffer. */
  vectorAt(position: number, elementSize: number, what: string): { start: number; length: number } {
    this.need(position, 4, what);
    const length = this.view.getUint32(position, true);
    this.need(position + 4, length * elementSize, `the ${length} elements of ${what}`);
    return { start: position + 4, length };
  }

  u8(position: number): number {
    return this.view.getUint8(position);
  }

  u16(position: number): number {
    return this.view.getUint16(position, true);
  }

  /** A little-endian signed integer of 1, 2 or 4 bytes. */
  int(position: number, size: 1 | 2 | 4): number {
    return size === 1
      ? this.view.getInt8(position)
      : size === 2
        ? this.view.getInt16(position, true)
        : this.view.getInt32(position, true);
  }

  /** The bytes of a string (its terminating zero checked too). */
  stringAt(position: number, what: string): Uint8Array {
    const { start, length } = this.vectorAt(position, 1, what);
    this.need(start + length, 1, `the end of ${what}`);
    if (this.bytes[start + length] !== 0)
      this.fail(`${what} (${length} bytes at byte ${start}) does not end in a zero byte`);
    return this.bytes.subarray(start, start + length);
  }

  need(position: number, size: number, what: string): void {
    if (!(position >= 0 && size >= 0 && position + size <= this.bytes.length)) {
      this.fail(`${what} (bytes ${position}..${position + size}) lies outside the ${this.bytes.length}-byte metadata`);
    }
  }

  fail(message: string): never {
    throw new Error(message);
  }
}

/** One verified table: its fields are looked up through its vtable, each checked on access. */
export class FlatTable {
  constructor(
    private readonly verifier: FlatbufferVerifier,
    readonly position: number,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly inlineSize: number,
    readonly what: string,
    readonly depth: number,
  ) {}

  /** Position of field `index` when present (its `size` bytes inside the table), else undefined. */
  field(index: number, size: number): number | undefined {
    const slot = 4 + 2 * index;
    if (slot + 2 > this.vtableSize) return undefined;
    const offset = this.verifier.u16(this.vtable + slot);
    if (offset === 0) return undefined;
    if (offset + size > this.inlineSize) {
      this.verifier.fail(
        `field ${index} of ${this.what} (bytes ${offset}..${offset + size}) lies outside its ${this.inlineSize}-byte table`,
      );
    }
    return this.position + offset;
  }

  u8(index: number): number | undefined {
    const at = this.field(index, 1);
    return at === undefined ? undefined : this.verifier.u8(at);
  }

  /** A signed integer field, or `fallback` (the schema's default) when absent. */
  int(index: number, size: 1 | 2 | 4, fallback: number): number {
    const at = this.field(index, size);
    return at === undefined ? fallback : this.verifier.int(at, size);
  }

  /** A bool field must hold 0 or 1 (any other byte is damage, not "true"). */
  bool(index: number, what: string): void {
    const value = this.u8(index);
    if (value !== undefined && value > 1) this.verifier.fail(`${what} is ${value}, not a bool (0 or 1)`);
  }

  table(index: number, what: string): FlatTable | undefined {
    const at = this.field(index, 4);
    return at === undefined ? undefined : this.verifier.table(this.verifier.follow(at, what), what, this.depth + 1);
  }

  vector(index: number, elementSize: number, what: string): { start: number; length: number } | undefined {
    const at = this.field(index, 4);
    return at === undefined ? undefined : this.verifier.vectorAt(this.verifier.follow(at, what), elementSize, what);
  }

  string(index: number, what: string): Uint8Array | undefined {
    const at = this.field(index, 4);
    return at === undefined ? undefined : this.verifier.stringAt(this.verifier.follow(at, what), what);
  }

  /** Each table of a vector of tables, in order. */
  tables(index: number, what: string): FlatTable[] {
    const vector = this.vector(index, 4, what);
    if (vector === undefined) return [];
    const out: FlatTable[] = [];
    for (let i = 0; i < vector.length; i++) {
      const element = `${what} ${i}`;
      out.push(this.verifier.table(this.verifier.follow(vector.start + 4 * i, element), element, this.depth + 1));
    }
    return out;
  }
}
