import { type Schema, Message } from 'apache-arrow';
import {
  type BatchHeader,
  type Layout,
  dictionaryLayouts,
  expectedLayout,
  layoutProblem,
} from './arrow_batch_layout.js';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import { verifyFooter, verifyMessage } from './arrow_metadata_verifier.js';
import { describeCause } from './io_errors.js';

/**
 * Checks of an Arrow IPC file's record batch metadata before Arrow JS decodes it: the message
 * lies inside the file, every buffer lies inside the message body, in order, without overlap
 * and 8-byte aligned (as every Arrow writer lays them out), and there are as many field nodes
 * and buffers as the schema needs, each node no longer than the batch. A damaged header is
 * then a DataLossError saying what is wrong, instead of values read from the wrong bytes.
 * @internal
 */

/** A message of the file as found by walking it: where it is and what it is. */
interface FoundMessage {
  offset: number;
  kind: 'schema' | 'record batch' | 'dictionary batch' | 'other';
  message: Message;
}

/** Reads `length` bytes at `position` of the IPC data (a file on disk or bytes in memory). */
export type ReadBytes = (position: number, length: number) => Promise<Uint8Array>;

const FILE_MAGIC = 'ARROW1';

/**
 * Walks the messages of an IPC file or stream from its start to its footer (or end), checking
 * each message's metadata before it is decoded and each batch's buffers and nodes against the
 * schema; for a file, verifies its footer and compares the batches it lists with those found
 * (a damaged footer would otherwise hide batches, or point into the middle of one). Runs
 * before Arrow JS reads anything, so nothing it decodes is unchecked.
 */
export async function checkIpcData(read: ReadBytes, size: number): Promise<void> {
  const isFile = size >= 12 && latin1(await read(0, 6)) === FILE_MAGIC;
  let start = 0;
  let end = size;
  let footer: Footer | undefined;
  if (isFile) {
    if (size < 18 || latin1(await read(size - 6, 6)) !== FILE_MAGIC)
      throw new Error(`it starts with ${FILE_MAGIC} but does not end with it (the file is truncated)`);
    const footerLength = view(await read(size - 10, 4)).getInt32(0, true);
    end = size - 10 - footerLength;
    if (footerLength <= 0 || end < 8)
      throw new Error(`its footer claims ${footerLength} bytes, but the file has ${size}`);
    const footerBytes = await read(end, footerLength);
    verifyWith(() => verifyFooter(footerBytes), 'the footer');
    footer = Footer.decode(footerBytes);
    start = 8;
  }
  const found = await walkMessages(read, start, end, isFile ? 'the footer' : 'the end of the stream');
  // A file's schema is in its footer (Arrow JS writes no schema message into files).
  const schema = footer?.schema ?? (found.find((m) => m.kind === 'schema')?.message.header() as Schema | undefined);
  if (schema === undefined) throw new Error('it holds no schema message');
  const layout = expectedLayout(schema);
  const dictionaryLayout = dictionaryLayouts(schema);
  let batches = 0;
  let dictionaries = 0;
  for (const { kind, message } of found) {
    if (kind === 'record batch')
      checkBatchMessage(message.header() as BatchHeader, message.bodyLength, `record batch ${batches++}`, layout);
    if (kind === 'dictionary batch') {
      const { id, data } = message.header() as { id: number; data: BatchHeader };
      const what = `dictionary batch ${dictionaries++}`;
      const expected = dictionaryLayout.get(id);
      if (expected === undefined)
        throw new Error(`${what} is for dictionary id ${id}, which no field of the schema uses`);
      checkBatchMessage(data, message.bodyLength, what, expected);
    }
  }
  if (footer !== undefined) compareWithFooter(found, footer);
}

async function walkMessages(read: ReadBytes, start: number, end: number, endName: string): Promise<FoundMessage[]> {
  const found: FoundMessage[] = [];
  let position = start;
  while (end - position >= 4) {
    const prefix = view(await read(position, Math.min(8, end - position)));
    const continued = prefix.getInt32(0, true) === -1;
    if (continued && prefix.byteLength < 8) break;
    const length = prefix.getInt32(continued ? 4 : 0, true);
    if (length === 0) break; // end-of-stream marker
    const metadataStart = position + (continued ? 8 : 4);
    const what = `the message at byte ${position}`;
    if (length < 0 || metadataStart + length > end)
      throw new Error(`${what} claims ${length} bytes of metadata, past ${endName} at byte ${end}`);
    const metadata = await read(metadataStart, length);
    const headerType = verifyWith(() => verifyMessage(metadata), what);
    const message = Message.decode(metadata);
    const bodyEnd = metadataStart + length + message.bodyLength;
    if (!(message.bodyLength >= 0 && bodyEnd <= end))
      throw new Error(`${what} has a ${message.bodyLength}-byte body that runs past ${endName} at byte ${end}`);
    found.push({ offset: position, kind: KINDS[headerType] ?? 'other', message });
    position = bodyEnd;
  }
  return found;
}

const KINDS: Record<number, FoundMessage['kind']> = { 1: 'schema', 2: 'dictionary batch', 3: 'record batch' };

function verifyWith<T>(verify: () => T, what: string): T {
  try {
    return verify();
  } catch (error) {
    throw new Error(`${what} is damaged: ${describeCause(error)}`);
  }
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function compareWithFooter(found: readonly FoundMessage[], footer: Footer): void {
  for (const kind of ['record batch', 'dictionary batch'] as const) {
    const offsets = found.filter((m) => m.kind === kind).map((m) => m.offset);
    const listed = kind === 'record batch' ? [...footer.recordBatches()] : [...footer.dictionaryBatches()];
    const listedOffsets = listed.map((block) => Number(block.offset));
    if (offsets.length !== listedOffsets.length || offsets.some((offset, i) => offset !== listedOffsets[i])) {
      throw new Error(
        `the file's footer lists ${listedOffsets.length} ${kind}es (at bytes ${listedOffsets.join(', ') || 'none'}) but the file holds ${offsets.length} (at bytes ${offsets.join(', ') || 'none'}); its index is damaged`,
      );
    }
  }
}

/** The metadata of one batch: buffers inside the body, nodes and buffers that fit the schema. */
function checkBatchMessage(header: BatchHeader, bodyLength: number, what: string, layout: Layout): void {
  checkRegions(header.buffers, bodyLength, what);
  for (const [i, node] of header.nodes.entries()) {
    if (!(node.length >= 0 && node.nullCount >= 0 && node.nullCount <= node.length && node.length <= MAX_ROWS)) {
      const field = layout.nodes[i]?.field ?? `node ${i}`;
      throw new Error(
        `${what}: field '${field}' claims ${node.length} rows with ${node.nullCount} nulls (at most ${MAX_ROWS} rows, nulls no more than rows)`,
      );
    }
  }
  const problem = layoutProblem(header, layout);
  if (problem !== undefined)
    throw new Error(`${what} ${problem.startsWith('it ') ? problem.slice(3) : `is inconsistent: ${problem}`}`);
}

/** Arrow JS indexes rows with 32-bit integers. */
const MAX_ROWS = 2 ** 31 - 1;

function checkRegions(buffers: readonly { offset: number; length: number }[], bodyLength: number, what: string): void {
  let end = 0;
  for (const [i, { offset, length }] of buffers.entries()) {
    if (
      !(
        Number.isSafeInteger(offset) &&
        Number.isSafeInteger(length) &&
        offset >= 0 &&
        length >= 0 &&
        offset + length <= bodyLength
      )
    ) {
      throw new Error(
        `${what}: buffer ${i} (bytes ${offset}..${offset + length}) lies outside its ${bodyLength}-byte body`,
      );
    }
    if (offset % 8 !== 0 || offset < end) {
      throw new Error(
        `${what}: buffer ${i} starts at byte ${offset}, ${offset < end ? `inside the previous buffer (which ends at ${end})` : 'not on an 8-byte boundary'}`,
      );
    }
    end = offset + length;
  }
}
