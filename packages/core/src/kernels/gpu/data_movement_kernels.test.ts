import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph/graph.js';
import { placeholder } from '../../ops/placeholder.js';
import { transpose } from '../../ops/transpose.js';
import { Session } from '../../session/session.js';

describe('gpu.js Transpose', () => {
  it("a perm that does not fit the fed rank gets the cpu kernel's named error", async () => {
    const graph = new Graph();
    const y = graph.asDefault(() => transpose(placeholder('float32', null, { name: 'x' }), [1, 0], { name: 't' }));
    using sess = new Session(graph, { device: 'gpu' });
    await expect(sess.run(y, { x: [[[1], [2]]] })).rejects.toThrow(
      /^Transpose 't': perm \[1,0\] does not fit shape \[1,2,1\]$/,
    );
    expect(sess.deviceInfo().fallbackOps).toEqual([]);
  });
});
