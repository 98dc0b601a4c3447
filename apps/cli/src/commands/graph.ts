import { readFile } from 'node:fs/promises';
import { Graph, formatShape } from '@tsflow/core';
import type { CliIO } from '../cli_io.js';
import type { ParsedArgs } from '../run_cli.js';

/** `tsflow graph FILE.json`: one line per op of a graph saved with `graph.toJSON()`. */
export async function graphCommand({ positionals }: ParsedArgs, io: CliIO): Promise<number> {
  const [file] = positionals;
  if (!file) throw new Error('graph needs a file: tsflow graph <graph.json>');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read graph JSON from '${file}': ${(error as Error).message}`);
  }
  const graph = Graph.fromJSON(json);
  for (const op of graph.operations) {
    const outputs = op.outputs.map((t) => `${t.dtype}${formatShape(t.shape)}`).join(', ');
    const inputs = op.inputs.map((t) => t.name).join(', ');
    io.out(`${op.name}  ${op.type}(${inputs}) -> ${outputs || '()'}`);
  }
  io.out(`${graph.operations.length} operations`);
  return 0;
}
