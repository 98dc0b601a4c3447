import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError, NotFoundError } from '@tsflow/core';
import { type JobDefinition, defineJob, describe, isJobDefinition } from '../define_job.js';
import { resolveTsflowPackagesFromAnywhere } from './package_resolution.js';

/**
 * Imports a job module and returns its default export as a checked job. The module is loaded
 * once per process (ES module cache), so workers reuse it across tasks.
 */
export async function loadJob(modulePath: string, cwd: string = process.cwd()): Promise<JobDefinition> {
  if (typeof modulePath !== 'string' || modulePath === '')
    throw new InvalidArgumentError(`job module: expected a file path, got ${describe(modulePath)}`);
  const absolute = resolve(cwd, modulePath);
  const isFile = await stat(absolute).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!isFile) throw new NotFoundError(`job module '${modulePath}' does not exist (resolved to ${absolute})`);
  resolveTsflowPackagesFromAnywhere();
  const module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  const job = module.default;
  if (isJobDefinition(job)) return job;
  if (job === null || typeof job !== 'object') {
    throw new InvalidArgumentError(
      `job module '${modulePath}' must \`export default defineJob({ ... })\`; its default export is ${describe(job)}`,
    );
  }
  return defineJob(job as Parameters<typeof defineJob>[0]);
}
