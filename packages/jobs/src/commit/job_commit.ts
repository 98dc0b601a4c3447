import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { FailedPreconditionError } from '@tsflow/core';
import { parquetFileInfo, writeAtomically } from '@tsflow/data';
import { OutputLayout } from './output_layout.js';
import { readRecord } from './task_attempt.js';

/** The `_SUCCESS` manifest: written last, once every task's part is committed. */
export interface SuccessManifest {
  readonly job: string;
  /** Number of tasks of the job. */
  readonly tasks: number;
  /** Rows over all parts. */
  readonly rows: number;
  /** One entry per part file, by task (tasks whose pipeline produced no rows have no part). */
  readonly parts: readonly { file: string; rows: number; bytes: number; task: number }[];
}

/** What a job commit needs to know. */
export interface CommitTarget {
  readonly name: string;
  readonly outputDir: string;
  readonly format: 'parquet' | 'arrow';
  readonly taskCount: number;
}

/**
 * Finishes a job: checks that every task has its part (or a record that it wrote no rows),
 * writes the `_SUCCESS` manifest, then removes `_temporary/`. Running it again after it
 * succeeded returns the same manifest; running it early fails naming the tasks still missing.
 */
export async function commitJob(target: CommitTarget): Promise<SuccessManifest> {
  const layout = new OutputLayout(target.outputDir, target.format);
  const existing = await readManifest(layout.successPath);
  if (existing !== undefined) {
    await rm(layout.temporaryDir, { recursive: true, force: true });
    return existing;
  }
  await refuseForeignParts(layout, target);
  const parts: { file: string; rows: number; bytes: number; task: number }[] = [];
  const missing: number[] = [];
  for (let task = 0; task < target.taskCount; task++) {
    const record = await readRecord(layout, task);
    const partPath = layout.partPath(task);
    const bytes = await stat(partPath).then(
      (info) => info.size,
      () => undefined,
    );
    if (bytes === undefined) {
      if (record?.file !== null || record === undefined) missing.push(task);
      continue;
    }
    const rows = record?.rows ?? (target.format === 'parquet' ? (await parquetFileInfo(partPath)).numRows : Number.NaN);
    if (!Number.isFinite(rows))
      throw new FailedPreconditionError(
        `job '${target.name}': part ${partPath} has no task record in ${layout.temporaryDir}; rerun its task`,
      );
    parts.push({ file: partPath.slice(layout.dir.length + 1), rows, bytes, task });
  }
  if (missing.length > 0) {
    const listed = missing.slice(0, 20).join(', ') + (missing.length > 20 ? ', ...' : '');
    throw new FailedPreconditionError(
      `job '${target.name}': ${missing.length} of ${target.taskCount} tasks have no committed part in ${layout.dir} yet (tasks ${listed}); run them (all shards) before committing`,
    );
  }
  const manifest: SuccessManifest = {
    job: target.name,
    tasks: target.taskCount,
    rows: parts.reduce((sum, part) => sum + part.rows, 0),
    parts,
  };
  await writeAtomically('job commit', layout.successPath, (tmpPath) =>
    writeFile(tmpPath, `${JSON.stringify(manifest, null, 2)}\n`),
  );
  await rm(layout.temporaryDir, { recursive: true, force: true });
  return manifest;
}

/** Reads a `_SUCCESS` manifest; undefined when the job has not been committed. */
export async function readManifest(path: string): Promise<SuccessManifest | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as SuccessManifest);
}

/** A part numbered past the task list was written by another job: committing would mix them. */
async function refuseForeignParts(layout: OutputLayout, target: CommitTarget): Promise<void> {
  const names = await readdir(layout.dir).catch(() => [] as string[]);
  const pattern = new RegExp(`^part-(\\d+)\\.${target.format}$`);
  const foreign = names.filter((name) => Number(pattern.exec(name)?.[1] ?? -1) >= target.taskCount);
  if (foreign.length > 0) {
    throw new FailedPreconditionError(
      `job '${target.name}' has ${target.taskCount} tasks, but ${layout.dir} also holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''} from another job; use an empty output.dir`,
    );
  }
}
