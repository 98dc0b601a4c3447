import { InvalidArgumentError } from '@tsflow/core';
import type { Dataset, ParquetCompression } from '@tsflow/data';

/** One unit of work: a whole input file, or one row group of a Parquet file. */
export interface JobTask {
  /** Position in the job's task list (0-based); the part file is `part-<index, 5 digits>`. */
  readonly index: number;
  /** Absolute path of the input file. */
  readonly file: string;
  /** The Parquet row group this task reads (absent when the task is a whole file). */
  readonly rowGroup?: number;
  /** Input rows of the task, from the Parquet footer (absent for Arrow inputs). */
  readonly rows?: number;
}

/** Where and how a job writes its parts. */
export interface JobOutput {
  /** Output folder (relative paths are resolved against the working directory). */
  readonly dir: string;
  /** `'parquet'` (default) or `'arrow'` (Arrow IPC file). */
  readonly format?: 'parquet' | 'arrow';
  /** Parquet codec of every column (default snappy). */
  readonly compression?: ParquetCompression;
}

/** The rows a pipeline receives and what it returns. */
export type JobPipeline = (
  ds: Dataset<Record<string, unknown>>,
  task: JobTask,
) => Dataset<unknown> | Promise<Dataset<unknown>>;

/** What a job module passes to `defineJob`. */
export interface JobSpec {
  /** Names the job in progress lines, errors and the `_SUCCESS` manifest. */
  readonly name: string;
  /** A glob or a list of Parquet (`.parquet`) and Arrow IPC (`.arrow`, `.arrows`, `.feather`, `.ipc`) files. */
  readonly inputs: string | readonly string[];
  /** Builds the dataset to write for one task's rows. Must be a pure function of them. */
  readonly pipeline: JobPipeline;
  readonly output: JobOutput;
  /** `'rowGroup'` (default): one task per Parquet row group; `'file'`: one per file. Arrow files are always one task. */
  readonly split?: 'file' | 'rowGroup';
  /** Attempts per task before the job fails (default 3). */
  readonly maxAttempts?: number;
}

/** A validated job (what `defineJob` returns and a job module exports by default). */
export interface JobDefinition extends Required<Omit<JobSpec, 'output'>> {
  readonly output: Required<Omit<JobOutput, 'compression'>> & Pick<JobOutput, 'compression'>;
}

const JOB_BRAND = Symbol.for('tsflow.jobDefinition');

/**
 * Declares a batch job: the default export of a job module run by `tsflow job run|submit|worker`.
 * Checks every field and names what is wrong.
 *
 * @example
 * export default defineJob({ name: 'normalise', inputs: 'data/*.parquet', output: { dir: 'out' },
 *   pipeline: (ds) => ds.map((row) => ({ ...row, x: (Number(row.x) - 5) / 2 })) });
 */
export function defineJob(spec: JobSpec): JobDefinition {
  if (spec === null || typeof spec !== 'object')
    throw new InvalidArgumentError(`defineJob: expected an object, got ${describe(spec)}`);
  if (isJobDefinition(spec)) return spec;
  const { name, inputs, pipeline, output, split = 'rowGroup', maxAttempts = 3 } = spec;
  if (typeof name !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(name)) {
    throw new InvalidArgumentError(
      `defineJob: name must be a non-empty string of letters, digits, '.', '_' or '-', got ${describe(name)}`,
    );
  }
  const inputList = typeof inputs === 'string' ? [inputs] : inputs;
  if (
    !Array.isArray(inputList) ||
    inputList.length === 0 ||
    inputList.some((input) => typeof input !== 'string' || input === '')
  ) {
    throw new InvalidArgumentError(
      `defineJob('${name}'): inputs must be a glob or a non-empty list of file paths, got ${describe(inputs)}`,
    );
  }
  if (typeof pipeline !== 'function')
    throw new InvalidArgumentError(
      `defineJob('${name}'): pipeline must be a function (ds, task) => Dataset, got ${describe(pipeline)}`,
    );
  if (output === null || typeof output !== 'object' || typeof output.dir !== 'string' || output.dir === '') {
    throw new InvalidArgumentError(
      `defineJob('${name}'): output must be { dir: string, format?, compression? }, got ${describe(output)}`,
    );
  }
  const format = output.format ?? 'parquet';
  if (format !== 'parquet' && format !== 'arrow')
    throw new InvalidArgumentError(
      `defineJob('${name}'): output.format must be 'parquet' or 'arrow', got ${describe(output.format)}`,
    );
  if (output.compression !== undefined && format !== 'parquet') {
    throw new InvalidArgumentError(
      `defineJob('${name}'): output.compression applies to Parquet output only, not '${format}'`,
    );
  }
  if (split !== 'file' && split !== 'rowGroup')
    throw new InvalidArgumentError(`defineJob('${name}'): split must be 'file' or 'rowGroup', got ${describe(split)}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new InvalidArgumentError(
      `defineJob('${name}'): maxAttempts must be a positive integer, got ${describe(maxAttempts)}`,
    );
  }
  const job = {
    name,
    inputs,
    pipeline,
    split,
    maxAttempts,
    output: {
      dir: output.dir,
      format,
      ...(output.compression === undefined ? {} : { compression: output.compression }),
    },
  };
  Object.defineProperty(job, JOB_BRAND, { value: true });
  return Object.freeze(job);
}

/** True for what `defineJob` returned (also across copies of this package). */
export function isJobDefinition(value: unknown): value is JobDefinition {
  return value !== null && typeof value === 'object' && (value as Record<symbol, unknown>)[JOB_BRAND] === true;
}

/** A short description of a bad value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}
