import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { InvalidArgumentError } from '@tsflow/core';
import { Dataset, type ParquetCompression, writeAtomically } from '@tsflow/data';
import { type JobDefinition, type JobTask, describe } from '../define_job.js';
import type { JobPlan } from '../plan/task_plan.js';
import { OutputLayout, partFileName } from './output_layout.js';

/** What one attempt of a task did. */
export interface TaskOutcome {
  readonly index: number;
  /** Rows the task's part holds. */
  readonly rows: number;
  /** False when the task had already been committed by another attempt (this one was discarded). */
  readonly committed: boolean;
}

/** What an attempt records next to the parts (read by the job commit). */
export interface TaskRecord {
  readonly task: number;
  /** The part's file name, or null when the pipeline produced no rows for this task. */
  readonly file: string | null;
  readonly rows: number;
}

/** The output settings of a plan that an attempt needs. */
export type AttemptTarget = Pick<JobPlan, 'outputDir' | 'format' | 'compression'>;

/** A fresh id for one attempt: unique across machines, processes and retries. */
export function newAttemptId(): string {
  return `${hostname().replace(/[^\w.-]/g, '_')}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Runs one attempt of a task and commits its output exactly once: the pipeline's rows are
 * written (through the Dataset sinks, so atomically) under `_temporary/attempt-.../`, a record of
 * the rows is stored, and the file is then linked to `part-NNNNN` — a link fails if the part
 * exists, so a late or duplicate attempt is discarded instead of replacing a committed part.
 * An already committed task is not run again.
 */
export async function runTaskAttempt(
  job: JobDefinition,
  target: AttemptTarget,
  task: JobTask,
  attemptId: string,
): Promise<TaskOutcome> {
  const layout = new OutputLayout(target.outputDir, target.format);
  const previous = await committedRecord(layout, task.index);
  if (previous !== undefined) return { index: task.index, rows: previous.rows, committed: false };
  const input = inputDataset(task);
  const output = await job.pipeline(input, task);
  if (!(output instanceof Dataset)) {
    throw new InvalidArgumentError(`job '${job.name}': pipeline must return a Dataset, got ${describe(output)}`);
  }
  const attemptDir = layout.attemptDir(task.index, attemptId);
  await mkdir(attemptDir, { recursive: true });
  try {
    const attemptFile = `${attemptDir}/${partFileName(task.index, target.format)}`;
    const rows = await writeTaskOutput(output, attemptFile, target);
    const record: TaskRecord = {
      task: task.index,
      file: rows === 0 ? null : basename(layout.partPath(task.index)),
      rows,
    };
    await writeRecord(layout, record, attemptDir);
    const committed = rows === 0 ? true : await linkWithoutReplacing(attemptFile, layout.partPath(task.index));
    return { index: task.index, rows, committed };
  } finally {
    await rm(attemptDir, { recursive: true, force: true });
  }
}

/** The record of a committed task, or undefined when the task still has to run. */
export async function committedRecord(layout: OutputLayout, index: number): Promise<TaskRecord | undefined> {
  const record = await readRecord(layout, index);
  if (record?.file === null) return record;
  const partExists = await stat(layout.partPath(index)).then(
    () => true,
    () => false,
  );
  if (!partExists) return undefined;
  return record ?? { task: index, file: basename(layout.partPath(index)), rows: Number.NaN };
}

/** Reads a task record; undefined when there is none. */
export async function readRecord(layout: OutputLayout, index: number): Promise<TaskRecord | undefined> {
  const text = await readFile(layout.taskRecordPath(index), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as TaskRecord);
}

function inputDataset(task: JobTask): Dataset<Record<string, unknown>> {
  if (/\.parquet$/i.test(task.file)) {
    return task.rowGroup === undefined
      ? Dataset.fromParquet(task.file)
      : Dataset.fromParquet(task.file, { rowGroups: [task.rowGroup] });
  }
  return Dataset.fromArrow(task.file);
}

/** Writes the pipeline's rows; 0 when it produced none (the sinks refuse to write a file without a schema). */
async function writeTaskOutput(output: Dataset<unknown>, path: string, target: AttemptTarget): Promise<number> {
  try {
    const result =
      target.format === 'parquet'
        ? await output.writeParquet(
            path,
            target.compression === undefined ? {} : { compression: target.compression as ParquetCompression },
          )
        : await output.writeArrow(path);
    return result.rows;
  } catch (error) {
    if (error instanceof InvalidArgumentError && /produced no rows/.test(error.message)) return 0;
    throw error;
  }
}

/**
 * Written in the attempt's own folder, then renamed into place: attempts of one task may race
 * here, and they all write the same record (a task's output is a pure function of its input).
 */
async function writeRecord(layout: OutputLayout, record: TaskRecord, attemptDir: string): Promise<void> {
  const path = layout.taskRecordPath(record.task);
  const draft = `${attemptDir}/record.json`;
  await writeAtomically('job task record', draft, (tmpPath) => writeFile(tmpPath, `${JSON.stringify(record)}\n`));
  await mkdir(dirname(path), { recursive: true });
  await rename(draft, path);
}

/** Atomically publishes `from` as `to` unless `to` exists; true when this call published it. */
async function linkWithoutReplacing(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
  }
  // File systems without hard links: a rename replaces, so look first (the window is tiny, and a
  // duplicate attempt writes the same bytes anyway).
  if (
    await stat(to).then(
      () => true,
      () => false,
    )
  )
    return false;
  await rename(from, to);
  return true;
}
