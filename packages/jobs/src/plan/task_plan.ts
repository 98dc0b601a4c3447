import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { InvalidArgumentError } from '@tsflow/core';
import { expandGlob, parquetFileInfo } from '@tsflow/data';
import type { JobDefinition, JobTask } from '../define_job.js';

/** Everything a runner needs to know about a job besides its pipeline; the same on every machine. */
export interface JobPlan {
  readonly name: string;
  readonly tasks: readonly JobTask[];
  /** Absolute output folder. */
  readonly outputDir: string;
  readonly format: 'parquet' | 'arrow';
  readonly compression?: string;
  readonly maxAttempts: number;
  /** Hash of the task list and output settings: two runs with the same fingerprint write the same parts. */
  readonly fingerprint: string;
}

const PARQUET = /\.parquet$/i;
const ARROW = /\.(arrow|arrows|feather|ipc)$/i;

/**
 * Computes a job's task list deterministically: inputs expanded and sorted, Parquet footers
 * read for row groups (files with several row groups give one task per group unless
 * `split: 'file'`), Arrow files one task each. Every process that plans the same job over the
 * same files gets the same list, which is what lets Kubernetes indexes pick shares on their own.
 */
export async function planJob(job: JobDefinition, cwd: string = process.cwd()): Promise<JobPlan> {
  const patterns = typeof job.inputs === 'string' ? [job.inputs] : job.inputs;
  const files = new Set<string>();
  for (const pattern of patterns) {
    for (const file of await expandGlob(resolve(cwd, pattern))) files.add(resolve(file));
  }
  const sorted = [...files].sort();
  const tasks: JobTask[] = [];
  for (const file of sorted) {
    if (ARROW.test(file)) {
      tasks.push({ index: tasks.length, file });
      continue;
    }
    if (!PARQUET.test(file)) {
      throw new InvalidArgumentError(
        `job '${job.name}': input '${file}' is neither Parquet (.parquet) nor Arrow IPC (.arrow, .arrows, .feather, .ipc)`,
      );
    }
    const info = await parquetFileInfo(file);
    if (job.split === 'file' || info.rowGroups.length === 0) {
      tasks.push({ index: tasks.length, file, rows: info.numRows });
      continue;
    }
    info.rowGroups.forEach((group, rowGroup) => {
      tasks.push({ index: tasks.length, file, rowGroup, rows: group.numRows });
    });
  }
  const outputDir = resolve(cwd, job.output.dir);
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify({
        name: job.name,
        outputDir,
        format: job.output.format,
        compression: job.output.compression ?? null,
        tasks,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  return {
    name: job.name,
    tasks,
    outputDir,
    format: job.output.format,
    ...(job.output.compression === undefined ? {} : { compression: job.output.compression }),
    maxAttempts: job.maxAttempts,
    fingerprint,
  };
}

/** One line naming a task for progress and errors: `task 3 (data/b.parquet, row group 1)`. */
export function describeTask(task: JobTask): string {
  return `task ${task.index} (file ${task.file}${task.rowGroup === undefined ? '' : `, row group ${task.rowGroup}`})`;
}
