import { readFile } from 'node:fs/promises';
import { Graph, InvalidArgumentError, formatShape } from '@tsflow/core';
import type { Command } from 'commander';
import type { CliIO } from '../cli_io.js';

/** `tsflow graph FILE.json`: one line per op of a graph saved with `graph.toJSON()`. */
export function registerGraph(program: Command, io: CliIO): void {
  program
    .command('graph')
    .description('list the ops of a graph saved with graph.toJSON(): name, type, inputs, output dtypes and shapes')
    .argument('<graph.json>', 'a file written from graph.toJSON()')
    .action(async (file: string) => {
      let json: unknown;
      try {
        json = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new InvalidArgumentError(`cannot read graph JSON from '${file}': ${(error as Error).message}`);
      }
      const graph = Graph.fromJSON(json);
      for (const op of graph.operations) {
        const outputs = op.outputs.map((t) => `${t.dtype}${formatShape(t.shape)}`).join(', ');
        const inputs = op.inputs.map((t) => t.name).join(', ');
        io.out(`${op.name}  ${op.type}(${inputs}) -> ${outputs || '()'}`);
      }
      io.out(`${graph.operations.length} operations`);
    });
}
