import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataLossError, NotFoundError } from '@tsflow/core';
import { type ReadEvent, decodeEvent } from './event_decode.js';
import { unframeRecords } from './tfrecord.js';

/**
 * Reads the events of an event file, or of every `*tfevents*` file of a folder (by name, so
 * oldest first), checking both CRCs of every record: a corrupt or truncated record is a
 * DataLossError naming the file and the record's byte offset.
 *
 * @example
 * for await (const event of readEvents('runs/digits')) if (event.scalars) console.log(event.step, event.scalars);
 */
export async function* readEvents(path: string): AsyncGenerator<ReadEvent> {
  for (const file of await eventFiles(path)) {
    const buffer = await readFile(file);
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    for (const { data, offset } of unframeRecords(bytes, file)) {
      let event: ReadEvent;
      try {
        event = decodeEvent(data);
      } catch (error) {
        throw new DataLossError(
          `Event file '${file}' is corrupt: record at byte ${offset} is not a tensorflow.Event (${(error as Error).message})`,
        );
      }
      yield event;
    }
  }
}

/** The event files `path` names: itself, or a folder's `*tfevents*` files sorted by name. */
export async function eventFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new NotFoundError(`readEvents: '${path}' does not exist`);
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((name) => name.includes('tfevents') && !name.endsWith('.tmp')).sort();
  return names.map((name) => join(path, name));
}
