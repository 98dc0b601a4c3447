import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { DataLossError, InvalidArgumentError } from '@tsflow/core';
import { writeAtomically } from '@tsflow/data';

/** TF's name for the text file that lists a folder's checkpoints. */
export const CHECKPOINT_STATE_FILE = 'checkpoint';
export const CHECKPOINT_EXTENSION = '.safetensors';

/** What the `checkpoint` file says: the latest checkpoint and every kept one, oldest first. */
export interface CheckpointState {
  latest: string;
  all: string[];
}

/**
 * Reads `<dir>/checkpoint` (TF's `CheckpointState` text format). Paths are resolved against
 * `dir` unless absolute. Returns undefined when there is no state file.
 */
export function readCheckpointState(dir: string): CheckpointState | undefined {
  const file = join(dir, CHECKPOINT_STATE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let latest: string | undefined;
  const all: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const match = /^\s*(model_checkpoint_path|all_model_checkpoint_paths)\s*:\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(line);
    if (match === null) {
      // Other fields of the proto (timestamps) are allowed; anything unparseable is not.
      if (/^\s*[a-z_]+\s*:\s*[-0-9.eE]+\s*$/.test(line)) continue;
      throw new DataLossError(
        `Checkpoint state file '${file}' line ${index + 1} is not a CheckpointState field: ${JSON.stringify(line)}`,
      );
    }
    const path = resolveIn(dir, unescapeQuoted(match[2]!));
    if (match[1] === 'model_checkpoint_path') latest = path;
    else all.push(path);
  }
  if (latest === undefined) return undefined;
  return { latest, all: all.length === 0 ? [latest] : all };
}

/** Writes the state file atomically; paths inside `dir` are stored relative, as TF does. */
export async function writeCheckpointState(dir: string, state: CheckpointState): Promise<void> {
  const line = (key: string, path: string): string => `${key}: ${JSON.stringify(relativeTo(dir, path))}\n`;
  const text =
    line('model_checkpoint_path', state.latest) + state.all.map((p) => line('all_model_checkpoint_paths', p)).join('');
  await writeAtomically('Saver', join(dir, CHECKPOINT_STATE_FILE), (tmpPath) => writeFile(tmpPath, text));
}

/**
 * The latest checkpoint of `dir` (the path without `.safetensors`) from its `checkpoint` state
 * file, or null when there is none or its file is missing.
 *
 * @example
 * const path = latestCheckpoint('runs/digits');
 * if (path !== null) await saver.restore(session, path);
 */
export function latestCheckpoint(dir: string): string | null {
  if (typeof dir !== 'string' || dir === '')
    throw new InvalidArgumentError(`latestCheckpoint: dir must be a non-empty string, got ${JSON.stringify(dir)}`);
  const state = readCheckpointState(dir);
  if (state === undefined) return null;
  return existsSync(`${state.latest}${CHECKPOINT_EXTENSION}`) ? state.latest : null;
}

function resolveIn(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

function relativeTo(dir: string, path: string): string {
  return resolve(dirname(path)) === resolve(dir) ? basename(path) : path;
}

function unescapeQuoted(quoted: string): string {
  return quoted.replace(/\\(.)/g, '$1');
}
