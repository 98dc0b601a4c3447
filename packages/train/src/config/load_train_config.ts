import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '@tsflow/core';
import { Dataset, expandGlob, parquetFileInfo } from '@tsflow/data';
import { type TrainConfig, parseTrainConfig } from './train_config.js';

/**
 * Reads and checks a `tsflow train` config before any training: a missing file, a bad key or
 * value is an InvalidArgumentError/NotFoundError with one clear line; data globs are expanded
 * and every feature and label column is looked up in the first data file.
 */
export async function loadTrainConfig(path: string): Promise<TrainConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError(`config file '${path}' does not exist`);
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`config file '${path}' is not valid JSON: ${(error as Error).message}`);
  }
  const config = parseTrainConfig(raw, dirname(path));
  config.data = await expandData(config.data);
  const columns = await columnsOf(config.data[0]!);
  for (const column of [...config.features, config.label]) {
    if (!columns.includes(column)) {
      throw new NotFoundError(
        `config: column '${column}' is not in '${config.data[0]}' (its columns: ${columns.join(', ')})`,
      );
    }
  }
  return config;
}

async function expandData(patterns: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    const matched = await expandGlob(pattern).catch((error: Error) => {
      throw error instanceof NotFoundError
        ? new NotFoundError(`config: 'data' pattern '${pattern}' matches no file`)
        : error;
    });
    if (matched.length === 0) throw new NotFoundError(`config: 'data' pattern '${pattern}' matches no file`);
    for (const file of matched) {
      if (
        !(await stat(file).then(
          (s) => s.isFile(),
          () => false,
        ))
      )
        throw new NotFoundError(`config: data file '${file}' does not exist`);
      if (!/\.(parquet|arrow|arrows|ipc|feather)$/i.test(file))
        throw new InvalidArgumentError(`config: data file '${file}' is not .parquet or .arrow/.arrows/.ipc/.feather`);
      files.push(file);
    }
  }
  return files;
}

/** The top-level column names of a Parquet (footer) or Arrow (first row) file. */
export async function columnsOf(file: string): Promise<string[]> {
  if (/\.parquet$/i.test(file)) return (await parquetFileInfo(file)).columns.map((c) => c.name);
  const [first] = await Dataset.fromArrow(file).take(1).toArray();
  return first === undefined ? [] : Object.keys(first as object);
}

/** True for the files `fromParquet` reads (the rest are Arrow IPC). */
export function isParquet(files: readonly string[]): boolean {
  return files.every((f) => /\.parquet$/i.test(f));
}
