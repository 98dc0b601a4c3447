import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  type Graph,
  InvalidArgumentError,
  type NDArray,
  NotFoundError,
  type Session,
  Variable,
  formatShape,
  globalVariables,
} from '@tsflow/core';
import { writeAtomically } from '@tsflow/data';
import { CHECKPOINT_EXTENSION, readCheckpointState, writeCheckpointState } from './checkpoint_state.js';
import { VariableAssigner } from './variable_assigner.js';
import {
  type SafetensorsFile,
  decodeSafetensors,
  encodeSafetensors,
  safetensorsDType,
  tsflowDType,
  entryToNDArray,
} from './safetensors_format.js';

export interface SaverOptions {
  /** What to save: variables (keyed by their names) or a name → variable map. Default: every global variable of the session's graph. */
  varList?: readonly Variable[] | Record<string, Variable>;
  /** Checkpoints kept on disk, newest first; older ones are deleted after each save. 0 keeps all. Default 5. */
  maxToKeep?: number;
}

export interface SaveOptions {
  /** Appended to the prefix (`model-120`) and stored as `__metadata__.global_step`. */
  globalStep?: number | Variable;
  /** Extra string entries for `__metadata__` (the Trainer stores its resume state here). */
  metadata?: Record<string, string>;
}

/**
 * Saves and restores variables as safetensors checkpoints, TF1 `tf.train.Saver` style.
 *
 * @example
 * const saver = new Saver({ maxToKeep: 3 });
 * const path = await saver.save(session, 'runs/model', { globalStep: 100 }); // runs/model-100
 * await saver.restore(session, latestCheckpoint('runs')!);
 */
export class Saver {
  private readonly varList: SaverOptions['varList'];
  readonly maxToKeep: number;
  /** Per folder, this saver's checkpoints, oldest first (recovered from the state file on first save). */
  private readonly kept = new Map<string, string[]>();
  private readonly assigner = new VariableAssigner('save');

  constructor(options: SaverOptions = {}) {
    const { varList, maxToKeep = 5 } = options;
    if (!Number.isInteger(maxToKeep) || maxToKeep < 0)
      throw new InvalidArgumentError(`Saver: maxToKeep must be a non-negative integer, got ${maxToKeep}`);
    if (varList !== undefined) checkVarList(varList);
    this.varList = varList;
    this.maxToKeep = maxToKeep;
  }

  /**
   * Writes `${prefix}-${globalStep}.safetensors` (or `${prefix}.safetensors`), then the folder's
   * `checkpoint` state file, then deletes checkpoints beyond `maxToKeep`: a crash at any point
   * leaves the state file naming complete files. Returns the path without the extension.
   */
  async save(session: Session, prefix: string, options: SaveOptions = {}): Promise<string> {
    if (typeof prefix !== 'string' || prefix === '')
      throw new InvalidArgumentError(`Saver.save: prefix must be a non-empty string, got ${JSON.stringify(prefix)}`);
    const named = this.resolve(session.graph);
    const { globalStep } = options;
    const stepFetch = globalStep instanceof Variable ? [globalStep] : [];
    const values = (await session.run([...named.values(), ...stepFetch])) as NDArray[];
    const step = globalStep instanceof Variable ? values.pop()!.item() : globalStep;
    if (step !== undefined && !Number.isSafeInteger(step))
      throw new InvalidArgumentError(`Saver.save: globalStep must be an integer, got ${step}`);
    const tensors = new Map([...named.keys()].map((name, i) => [name, values[i]!]));
    const metadata: Record<string, string> = { ...options.metadata };
    if (step !== undefined) metadata['global_step'] = String(step);
    const path = step === undefined ? prefix : `${prefix}-${step}`;
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const bytes = encodeSafetensors(tensors, metadata);
    await writeAtomically('Saver', `${path}${CHECKPOINT_EXTENSION}`, (tmpPath) => writeFile(tmpPath, bytes));
    const kept = this.keptIn(dir).filter((p) => resolve(p) !== resolve(path));
    kept.push(path);
    const removed = this.maxToKeep > 0 ? kept.splice(0, Math.max(0, kept.length - this.maxToKeep)) : [];
    this.kept.set(resolve(dir), kept);
    await writeCheckpointState(dir, { latest: path, all: kept });
    for (const old of removed) await rm(`${old}${CHECKPOINT_EXTENSION}`, { force: true });
    return path;
  }

  /**
   * Assigns every variable from the checkpoint at `path` (without `.safetensors`), all or
   * nothing: a variable missing from the file is a NotFoundError, a dtype or shape mismatch an
   * InvalidArgumentError, a corrupt or truncated file a DataLossError, and in each case no
   * variable changes. Returns the file's `__metadata__`.
   */
  async restore(session: Session, path: string): Promise<Record<string, string>> {
    if (typeof path !== 'string' || path === '')
      throw new InvalidArgumentError(`Saver.restore: path must be a non-empty string, got ${JSON.stringify(path)}`);
    const file = `${path}${CHECKPOINT_EXTENSION}`;
    const checkpoint = await readCheckpoint(path);
    const values = new Map<Variable, NDArray>();
    const named = this.resolve(session.graph);
    for (const [name, variable] of named) {
      const entry = checkpoint.entries.get(name);
      if (entry === undefined) throw new NotFoundError(`Key ${name} not found in checkpoint '${file}'`);
      const expected = safetensorsDType(variable.dtype);
      if (entry.dtype !== expected || tsflowDType(entry.dtype) === undefined) {
        throw new InvalidArgumentError(
          `Restoring '${name}' from '${file}': dtype ${entry.dtype} in the checkpoint does not match the variable's ${expected} (${variable.dtype})`,
        );
      }
      if (entry.shape.length !== variable.shape.length || entry.shape.some((d, i) => d !== variable.shape[i])) {
        throw new InvalidArgumentError(
          `Restoring '${name}' from '${file}': shape ${formatShape(entry.shape)} in the checkpoint does not match the variable's ${formatShape(variable.shape)}`,
        );
      }
      values.set(variable, entryToNDArray(checkpoint, entry));
    }
    // One run: every value was checked above, so the assignments all happen or none does.
    await this.assigner.assign(session, values);
    return checkpoint.metadata;
  }

  /** The checkpoints this saver keeps in `dir`, oldest first. */
  checkpointsIn(dir: string): readonly string[] {
    return [...this.keptIn(dir)];
  }

  private keptIn(dir: string): string[] {
    const key = resolve(dir);
    let kept = this.kept.get(key);
    if (kept === undefined) {
      // A new process resuming in the same folder continues the same rotation.
      kept = readCheckpointState(dir)?.all ?? [];
      this.kept.set(key, kept);
    }
    return kept;
  }

  private resolve(graph: Graph): Map<string, Variable> {
    const list = this.varList ?? globalVariables(graph);
    const entries: [string, Variable][] = Array.isArray(list) ? list.map((v) => [v.name, v]) : Object.entries(list);
    if (entries.length === 0) throw new InvalidArgumentError('Saver: no variables to save');
    for (const [name, variable] of entries) {
      if (variable.graph !== graph)
        throw new InvalidArgumentError(`Saver: variable '${name}' is not in the session's graph`);
    }
    return new Map(entries);
  }
}

/**
 * Reads and validates the checkpoint `path` (without `.safetensors`): NotFoundError when it
 * does not exist, DataLossError when it is corrupt. Gives its metadata and tensors.
 */
export async function readCheckpoint(path: string): Promise<SafetensorsFile> {
  const file = `${path}${CHECKPOINT_EXTENSION}`;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError(`Checkpoint '${file}' does not exist`);
    throw error;
  }
  return decodeSafetensors(bytes, file);
}

function checkVarList(varList: NonNullable<SaverOptions['varList']>): void {
  const entries = Array.isArray(varList) ? varList.map((v, i) => [String(i), v] as const) : Object.entries(varList);
  for (const [key, v] of entries) {
    if (!(v instanceof Variable))
      throw new InvalidArgumentError(`Saver: varList[${JSON.stringify(key)}] is not a Variable`);
  }
}
