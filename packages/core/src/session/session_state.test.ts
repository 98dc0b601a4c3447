import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { NDArray } from '../ndarray/ndarray.js';
import { SessionVariableState } from './session_state.js';

function write(state: SessionVariableState, name: string, value: number): Float32Array {
  const data = state.variableBuffer(name, 'float32', 2) as Float32Array;
  data.fill(value);
  state.writeVariable(name, new NDArray('float32', [2], data));
  return data;
}

describe('SessionVariableState.variableBuffer', () => {
  it('alternates between two buffers per variable across runs (an optimizer step allocates nothing)', () => {
    const state = new SessionVariableState(new Graph());
    const seen = new Set<Float32Array>();
    for (let run = 0; run < 6; run++) {
      state.beginRun();
      seen.add(write(state, 'w', run));
    }
    expect(seen.size).toBe(2);
    expect(state.readVariable('w').toArray()).toEqual([5, 5]);
  });

  it('never hands out storage replaced in the same run: a value read earlier in it may still be used', () => {
    const state = new SessionVariableState(new Graph());
    state.beginRun();
    const first = write(state, 'w', 1);
    state.beginRun();
    const second = write(state, 'w', 2);
    const third = write(state, 'w', 3);
    expect(third).not.toBe(first);
    expect(third).not.toBe(second);
    expect(first[0]).toBe(1);
  });

  it('recycles only its own buffers, never a caller-provided array', () => {
    const state = new SessionVariableState(new Graph());
    const callers = new Float32Array([7, 7]);
    state.beginRun();
    state.writeVariable('w', new NDArray('float32', [2], callers));
    state.beginRun();
    write(state, 'w', 1);
    state.beginRun();
    expect(write(state, 'w', 2)).not.toBe(callers);
    expect(callers[0]).toBe(7);
  });

  it('reports every buffer that has held a value as owned, so fetched views of them are copied', () => {
    const state = new SessionVariableState(new Graph());
    state.beginRun();
    const old = write(state, 'w', 1);
    state.beginRun();
    write(state, 'w', 2);
    expect(state.holdsBuffer(old.buffer)).toBe(true);
    expect(state.holdsBuffer(new ArrayBuffer(8))).toBe(false);
  });
});
