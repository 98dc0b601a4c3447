import { NDArray } from '../../ndarray/ndarray.js';
import type { OpType } from '../../graph/op_types.js';
import type { Kernel, OpKernelSpec } from '../../kernel_registry.js';
import { unsupportedDType } from './kernel_errors.js';
import { outputData } from './kernel_memory.js';

export const UnaryCode = {
  Neg: 0,
  Abs: 1,
  Exp: 2,
  Log: 3,
  Sqrt: 4,
  Square: 5,
  Sign: 6,
  Reciprocal: 7,
  Rsqrt: 8,
  Floor: 9,
  Relu: 10,
  Sigmoid: 11,
  Tanh: 12,
} as const;
export type UnaryCode = (typeof UnaryCode)[keyof typeof UnaryCode];

/** Applies one float op to every element; the switch runs once per call, not per element. */
function floatUnary(code: UnaryCode, x: Float32Array, out: Float32Array): void {
  const n = x.length;
  switch (code) {
    case UnaryCode.Neg:
      for (let i = 0; i < n; i++) out[i] = -x[i]!;
      return;
    case UnaryCode.Abs:
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
      return;
    case UnaryCode.Exp:
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
      return;
    case UnaryCode.Log:
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!);
      return;
    case UnaryCode.Sqrt:
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
      return;
    case UnaryCode.Square:
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v * v;
      }
      return;
    case UnaryCode.Sign:
      for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]!);
      return;
    case UnaryCode.Reciprocal:
      for (let i = 0; i < n; i++) out[i] = 1 / x[i]!;
      return;
    case UnaryCode.Rsqrt:
      for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[i]!);
      return;
    case UnaryCode.Floor:
      for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]!);
      return;
    // `v < 0 ? 0 : v` lets NaN through, like TF's relu.
    case UnaryCode.Relu:
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v < 0 ? 0 : v;
      }
      return;
    // exp(-v) overflows to Infinity for very negative v, giving the correct limit 0.
    case UnaryCode.Sigmoid:
      for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]!));
      return;
    case UnaryCode.Tanh:
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!);
      return;
  }
}

/** int32 ops (the ones TF defines on integers); results wrap like int32 (-(-2^31) is -2^31). */
function intUnary(code: UnaryCode, x: Int32Array, out: Int32Array): boolean {
  const n = x.length;
  switch (code) {
    case UnaryCode.Neg:
      for (let i = 0; i < n; i++) out[i] = -x[i]! | 0;
      return true;
    case UnaryCode.Abs:
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!) | 0;
      return true;
    case UnaryCode.Square:
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = Math.imul(v, v);
      }
      return true;
    case UnaryCode.Sign:
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
      }
      return true;
    case UnaryCode.Relu:
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v < 0 ? 0 : v;
      }
      return true;
    default:
      return false;
  }
}

/** The kernel of one unary op (every dtype it supports). @internal */
export function unaryKernel(code: UnaryCode): Kernel {
  return (inputs, ctx) => {
    const x = inputs[0]!;
    if (x.dtype === 'float32') {
      const out = outputData(ctx, 'float32', x.size) as Float32Array;
      floatUnary(code, x.data as Float32Array, out);
      return new NDArray('float32', x.shape, out);
    }
    if (x.dtype === 'int32') {
      const out = outputData(ctx, 'int32', x.size) as Int32Array;
      if (intUnary(code, x.data as Int32Array, out)) return new NDArray('int32', x.shape, out);
    }
    throw unsupportedDType(ctx.op, x.dtype);
  };
}

function spec(opType: OpType, code: UnaryCode): OpKernelSpec {
  return { opType, device: 'cpu', kernel: unaryKernel(code) };
}

/** Elementwise math (Neg … Floor) and activations (Sigmoid, Tanh; Relu has its own file). */
export const unaryCpuKernels: OpKernelSpec[] = [
  spec('Neg', UnaryCode.Neg),
  spec('Abs', UnaryCode.Abs),
  spec('Exp', UnaryCode.Exp),
  spec('Log', UnaryCode.Log),
  spec('Sqrt', UnaryCode.Sqrt),
  spec('Square', UnaryCode.Square),
  spec('Sign', UnaryCode.Sign),
  spec('Reciprocal', UnaryCode.Reciprocal),
  spec('Rsqrt', UnaryCode.Rsqrt),
  spec('Floor', UnaryCode.Floor),
  spec('Sigmoid', UnaryCode.Sigmoid),
  spec('Tanh', UnaryCode.Tanh),
];
