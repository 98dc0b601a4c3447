import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { FailedPreconditionError } from '@tsflow/core';
import { writeAtomically } from '@tsflow/data';
import type { JobPlan } from '../plan/task_plan.js';
import { OutputLayout, SUCCESS_FILE } from './output_layout.js';

interface PlanRecord {
  readonly job: string;
  readonly tasks: number;
  readonly fingerprint: string;
}

/**
 * Makes the output folder ready for a job's attempts and guards it: a folder that already holds
 * a committed job, or parts of a job with a different task list, is refused (mixing them would
 * break exactly-once). Parts of an earlier, interrupted run of the same plan are kept: their
 * tasks are not run again. Safe to call from many processes at once (Kubernetes indexes).
 */
export async function prepareOutput(plan: JobPlan): Promise<void> {
  const layout = new OutputLayout(plan.outputDir, plan.format);
  await mkdir(layout.temporaryDir, { recursive: true });
  const names = await readdir(layout.dir);
  if (names.includes(SUCCESS_FILE)) {
    throw new FailedPreconditionError(
      `job '${plan.name}': output folder ${layout.dir} already holds a committed job (${SUCCESS_FILE}); remove it or choose another output.dir`,
    );
  }
  const record = await readPlanRecord(layout.planPath);
  if (record !== undefined) {
    if (record.fingerprint !== plan.fingerprint) {
      throw new FailedPreconditionError(
        `job '${plan.name}' (${plan.tasks.length} tasks) can't write to ${layout.dir}: it holds parts of another plan (job '${record.job}', ${record.tasks} tasks; inputs or output settings changed); remove the folder or choose another output.dir`,
      );
    }
    return;
  }
  const parts = names.filter((name) => /^part-\d+\./.test(name));
  if (parts.length > 0) {
    throw new FailedPreconditionError(
      `job '${plan.name}': output folder ${layout.dir} already holds ${parts.length} part files of an unknown job (e.g. ${parts[0]}); use an empty output.dir`,
    );
  }
  const content: PlanRecord = { job: plan.name, tasks: plan.tasks.length, fingerprint: plan.fingerprint };
  try {
    await writeAtomically('job plan', layout.planPath, (tmpPath) => writeFile(tmpPath, `${JSON.stringify(content)}\n`));
  } catch (error) {
    // Another process (a sibling index) may have written the same record at the same moment.
    if ((await readPlanRecord(layout.planPath))?.fingerprint !== plan.fingerprint) throw error;
  }
}

/** Throws unless the output folder's plan record (if any) matches this plan. */
export async function checkPlanRecord(plan: JobPlan): Promise<void> {
  const layout = new OutputLayout(plan.outputDir, plan.format);
  const record = await readPlanRecord(layout.planPath);
  if (record !== undefined && record.fingerprint !== plan.fingerprint) {
    throw new FailedPreconditionError(
      `job '${plan.name}' (${plan.tasks.length} tasks) does not match the parts in ${layout.dir} (job '${record.job}', ${record.tasks} tasks): inputs or output settings changed since they were written`,
    );
  }
}

async function readPlanRecord(path: string): Promise<PlanRecord | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as PlanRecord);
}
