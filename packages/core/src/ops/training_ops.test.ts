import { describe, expect, it } from 'vitest';
import {
  Graph,
  NDArray,
  Session,
  Variable,
  applyAdagrad,
  applyGradientDescent,
  applyMomentum,
  constant,
  placeholder,
} from '../index.js';
import { DEVICES, expectClose } from '../test_support/devices.js';

describe.each(DEVICES)('training ops on %s', (device) => {
  it('ApplyGradientDescent writes a new value and leaves earlier fetched values untouched', async () => {
    const g = new Graph();
    const { w, step } = g.asDefault(() => {
      const w = new Variable([1, 2], { name: 'w' });
      return { w, step: applyGradientDescent(w, 3, constant([0.1, 0.1])) };
    });
    const sess = new Session(g, { device });
    await sess.run(w.initializer);
    const before = (await sess.run(w)) as NDArray;
    const after = (await sess.run(step)) as NDArray;
    expectClose(after.data, [0.7, 1.7]);
    expectClose((await sess.run(w)).data, [0.7, 1.7]);
    expect(Array.from(before.data)).toEqual([1, 2]);
    sess.close();
  });

  it('ApplyMomentum and ApplyAdagrad update their slots', async () => {
    const g = new Graph();
    const { vars, steps, accum, acc2 } = g.asDefault(() => {
      const w = new Variable([1, 2], { name: 'w' });
      const accum = new Variable([0, 0], { name: 'w/Momentum', trainable: false });
      const u = new Variable([1, 2], { name: 'u' });
      const acc2 = new Variable([0.1, 0.1], { name: 'u/Adagrad', trainable: false });
      const grad = constant([0.1, 0.1]);
      return {
        vars: [w, accum, u, acc2],
        accum,
        acc2,
        steps: [applyMomentum(w, accum, 2, grad, 0.9), applyAdagrad(u, acc2, 3, grad)],
      };
    });
    const sess = new Session(g, { device });
    await sess.run(vars.map((v) => v.initializer));
    const [w1, u1] = (await sess.run(steps)) as NDArray[];
    expectClose(w1!.data, [0.8, 1.8]);
    expectClose((await sess.run(accum)).data, [0.1, 0.1]);
    expectClose(u1!.data, [1 - (3 * 0.1) / Math.sqrt(0.11), 2 - (3 * 0.1) / Math.sqrt(0.11)]);
    expectClose((await sess.run(acc2)).data, [0.11, 0.11]);
    const [w2] = (await sess.run(steps)) as NDArray[];
    expectClose(w2!.data, [0.42, 1.42]);
    sess.close();
  });

  it('rejects gradients and slots that do not match the variable', async () => {
    const g = new Graph();
    g.asDefault(() => {
      const w = new Variable([1, 2], { name: 'w' });
      const bad = new Variable([0, 0, 0], { name: 'bad' });
      expect(() => applyGradientDescent(w, 1, constant([1, 2, 3]))).toThrow(
        /ApplyGradientDescent 'ApplyGradientDescent(_\d+)?': gradient Const(_\d+)?:0 is float32\[3\], expected float32\[2\] like variable 'w'/,
      );
      expect(() => applyMomentum(w, bad, 1, constant([1, 2]), 0.9)).toThrow(
        /slot 'bad' is float32\[3\], expected float32\[2\] like variable 'w'/,
      );
      expect(() => applyGradientDescent(w, constant([1, 2]), constant([1, 2]))).toThrow(
        /hyperparameter Const(_\d+)?:0 must be a float32 scalar, got float32\[2\]/,
      );
      const c = constant([1, 2], { name: 'c' });
      expect(() => applyGradientDescent(c as never, 1, constant([1, 2]))).toThrow(
        /^ApplyGradientDescent: variable must be a Variable, got Tensor 'c:0'$/,
      );
      expect(() => applyMomentum(w, c as never, 1, constant([1, 2]), 0.9)).toThrow(
        /^ApplyMomentum: slot 0 must be a Variable, got Tensor 'c:0'$/,
      );
      expect(() => applyGradientDescent(undefined as never, 1, constant([1, 2]))).toThrow(
        /^ApplyGradientDescent: variable must be a Variable, got undefined$/,
      );
    });
    const { w, step, p } = g.asDefault(() => {
      const w = new Variable([1, 2], { name: 'w2' });
      const p = placeholder('float32', null, { name: 'p' });
      return { w, p, step: applyGradientDescent(w, 1, p) };
    });
    const sess = new Session(g, { device });
    await sess.run(w.initializer);
    await expect(sess.run(step, new Map([[p, new NDArray('float32', [3], new Float32Array(3))]]))).rejects.toThrow(
      /gradient has shape \[3\] but variable 'w2' has shape \[2\]/,
    );
    sess.close();
  });
});
