import { stat } from 'node:fs/promises';
import { InvalidArgumentError } from '@tsflow/core';

/**
 * Refuses an output that is the input file itself, however it is spelled: the same path, a
 * relative path, a symlink or a hard link to it (same device and inode).
 */
export async function refuseSameFile(input: string, output: string): Promise<void> {
  const [inputInfo, outputInfo] = await Promise.all([
    stat(input).catch(() => undefined),
    stat(output).catch(() => undefined),
  ]);
  if (inputInfo === undefined || outputInfo === undefined) return;
  if (inputInfo.dev === outputInfo.dev && inputInfo.ino === outputInfo.ino) {
    throw new InvalidArgumentError(
      `the output '${output}' is the input file '${input}' itself; write to another path (the input must stay intact while it is read)`,
    );
  }
}
