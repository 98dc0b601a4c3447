import { describe, expect, it } from 'vitest';
import { Graph, InvalidArgumentError, constant, fill, placeholder } from '@tsflow/core';

/** A one-op graph document (the op's JSON as toJSON writes it, then edited by the test). */
// biome-ignore lint/suspicious/noExplicitAny: the edits plant arbitrary hostile values at any depth
function documentWith(build: () => unknown, edit: (op: Record<string, any>) => void): unknown {
  const graph = new Graph();
  graph.asDefault(build);
  const json = JSON.parse(JSON.stringify(graph.toJSON()));
  edit(json.operations[0]);
  return json;
}

const refused = (json: unknown, message: RegExp) => {
  expect(() => Graph.fromJSON(json)).toThrow(InvalidArgumentError);
  expect(() => Graph.fromJSON(json)).toThrow(message);
};

describe('Graph.fromJSON refuses hostile documents by name', () => {
  it('5,000 nested arrays in an attribute: a named error, not a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    refused(
      documentWith(
        () => fill([1], 1),
        (op) => (op.attrs.deep = deep),
      ),
      /operation 0 \('Fill'\): an attribute is nested more than 64 levels deep/,
    );
  });

  it('bad base64 and a wrong byte length in an embedded array', () => {
    const withData = (base64: string) =>
      documentWith(
        () => constant([1, 2]),
        (op) => (op.attrs.value.$ndarray.base64 = base64),
      );
    refused(withData('@@@@'), /operation 0 \('Const'\): an array attribute's data is not valid base64/);
    refused(
      withData('AACAPw=='),
      /an array attribute of dtype float32 and shape \[2\] needs 8 bytes, but its data holds 4/,
    );
    refused(withData('AACAPwAAAEAA'), /needs 8 bytes, but its data holds 9/);
  });

  it('a Const whose value is not an array', () => {
    refused(
      documentWith(
        () => constant([1, 2]),
        (op) => (op.attrs.value = [1, 2]),
      ),
      /a Const's value attribute must be an array \(\{ \$ndarray \}\), got an array of 2/,
    );
  });

  it('attributes that disagree with the declared outputs, before anything runs', () => {
    // A Fill declaring [2] that would fill 1e9 elements: the static size check would trust [2].
    refused(
      documentWith(
        () => fill([2], 1),
        (op) => (op.attrs.shape = [1e9]),
      ),
      /operation 0 \('Fill'\): declares float32\[2\], but its shape attribute gives float32\[1000000000\]/,
    );
    refused(
      documentWith(
        () => placeholder('float32', [3]),
        (op) => (op.attrs.dtype = 'int32'),
      ),
      /declares output dtype float32, but its dtype attribute is int32/,
    );
    refused(
      documentWith(
        () => constant([1, 2]),
        (op) => (op.outputs[0].shape = [3]),
      ),
      /declares float32\[3\], but its value gives float32\[2\]/,
    );
  });

  it('fields of the wrong type are named (no raw TypeError)', () => {
    refused(
      documentWith(
        () => fill([1], 1),
        (op) => (op.outputs = [null]),
      ),
      /operation 0 \('Fill'\) output 0: expected \{ dtype, shape \}, got null/,
    );
    refused(
      documentWith(
        () => fill([1], 1),
        (op) => (op.outputs[0].shape = [-1]),
      ),
      /shape must be null or an array of non-negative integers and nulls/,
    );
    refused(
      documentWith(
        () => fill([1], 1),
        (op) => (op.controlInputs = 'x'),
      ),
      /controlInputs must be an array of names, got "x"/,
    );
    refused(
      documentWith(
        () => fill([1], 1),
        (op) => (op.attrs = JSON.parse('{"__proto__": {"polluted": 1}}')),
      ),
      /attribute key '__proto__' is not allowed/,
    );
    refused(
      { format: 'tsflow-graph', version: 1, operations: [], collections: { variables: [null] } },
      /a variables collection entry must be \{ name, initializer, initialValue, trainable \}, got null/,
    );
  });
});
