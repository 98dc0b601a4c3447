import { describe, expect, it } from 'vitest';
import { Graph, ResourceExhaustedError, Session, concat, matMul, ones, placeholder, zeros } from '@tsflow/core';
import { failureOf } from '../fixtures.js';

describe('maxTensorBytes', () => {
  it('ones([2**31]) is a ResourceExhaustedError naming the op and the shape, before 8.6 GB are allocated', async () => {
    const graph = new Graph();
    const big = graph.asDefault(() => ones([2 ** 31]));
    const before = process.memoryUsage().rss;
    const error = await failureOf(new Session(graph).run(big));
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect(error.message).toMatch(
      /OOM when allocating a float32 tensor with shape \[2147483648\] for 'ones' \(op: 'Fill'\): 8589934592 bytes \(8\.0 GiB\) is above this session's maxTensorBytes = 4294967296 bytes \(4\.0 GiB\); nothing was allocated/,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(2 ** 30);
  });

  it('is a session option; tensors at the limit run', async () => {
    const graph = new Graph();
    const [small, large] = graph.asDefault(() => [zeros([250]), zeros([251])]);
    const session = new Session(graph, { maxTensorBytes: 1000 });
    expect((await session.run(small)).size).toBe(250);
    await expect(session.run(large)).rejects.toThrow(
      /for 'zeros_1' \(op: 'Fill'\): 1004 bytes is above this session's maxTensorBytes = 1000 bytes/,
    );
    expect(() => new Session(graph, { maxTensorBytes: -1 })).toThrow(
      /Session: maxTensorBytes must be a positive integer \(bytes\), got -1/,
    );
  });

  it('an output whose size is known only when it runs is refused as its kernel allocates', async () => {
    const graph = new Graph();
    const [, joined] = graph.asDefault(() => {
      const a = placeholder('float32', [null], { name: 'a' });
      return [a, concat([a, a, a], 0, { name: 'joined' })];
    });
    const session = new Session(graph, { maxTensorBytes: 1000 });
    expect((await session.run(joined, { a: new Float32Array(80) })).size).toBe(240);
    const error = await failureOf(session.run(joined, { a: new Float32Array(100) }));
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect(error.message).toMatch(
      /OOM when allocating an array for output float32\[\?\] for 'joined' \(op: 'Concat'\): 1200 bytes \(1\.2 KiB\) is above/,
    );
  });

  it('a product of modest inputs (matMul [n,1] x [1,n]) is refused before its output is allocated', async () => {
    const graph = new Graph();
    const product = graph.asDefault(() =>
      matMul(placeholder('float32', [null, 1], { name: 'p' }), placeholder('float32', [1, null], { name: 'q' }), {
        name: 'outer',
      }),
    );
    const session = new Session(graph, { maxTensorBytes: 2 ** 20 });
    const error = await failureOf(session.run(product, { p: new Float32Array(1024), q: new Float32Array(1024) }));
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect(error.message).toMatch(
      /for 'outer' \(op: 'MatMul'\): 4194304 bytes \(4\.0 MiB\) is above this session's maxTensorBytes = 1048576 bytes \(1\.0 MiB\)/,
    );
  });
});
