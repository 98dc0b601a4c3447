import { describe, expect, it } from 'vitest';
import {
  Graph,
  Session,
  Variable,
  add,
  constant,
  globalVariablesInitializer,
  matMul,
  placeholder,
  randomNormal,
} from '../index.js';

describe('options given positionally (plain JavaScript callers)', () => {
  it('a string is the name, as TF1 takes it positionally', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(new Variable(42, 'foo' as never).name).toBe('foo');
      expect(add(1, 2, 'sum' as never).op.name).toBe('sum');
      expect(placeholder('float32', [2], 'x' as never).op.name).toBe('x');
      expect(constant(1, 'one' as never).op.name).toBe('one');
      expect(randomNormal([2], 'noise' as never).op.name).toBe('noise');
      expect(globalVariablesInitializer('init_all' as never).name).toBe('init_all');
    });
  });

  it('any other value is refused with a named error, never ignored', () => {
    const g = new Graph();
    g.asDefault(() => {
      const a = constant([[1]]);
      expect(() => new Variable(42, true as never)).toThrow(
        /^Variable: options must be an object such as \{ name: 'x' \} \(or a name string\), got boolean true$/,
      );
      expect(() => matMul(a, a, true as never)).toThrow(/^MatMul: options must be an object such as \{ name: 'x' \}/);
      expect(() => add(1, 2, 7 as never)).toThrow(/^Add: options must be an object/);
      expect(() => randomNormal([2], 3 as never)).toThrow(/^randomNormal: options must be an object/);
    });
    expect(() => new Session(g, 'gpu' as never)).toThrow(
      /^Session: options must be an object such as \{ device: 'gpu' \}, got "gpu"$/,
    );
  });
});
