import type { DType } from '../../dtype.js';
import {
  defineGpuKernel,
  type IntegerPolicy,
  invalidInput,
  kernelArg,
  kernelKey,
  MAX_EXACT_FLOAT_INT,
  runGpuKernel,
} from '../../gpu_backend/gpu_kernel.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { broadcastShapes } from '../cpu/broadcast_index.js';
import type { OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf, type OpType } from '../../graph/op_types.js';
import { elementwiseSource } from './elementwise_source.js';

/**
 * Elementwise gpu.js kernels. Each body mirrors its cpu reference in kernels/cpu (unary_kernels,
 * arithmetic_rows, comparison_kernels, select_kernel, cast_kernel) element for element.
 */

/** Runs `body` over the operands broadcast together; the result has `dtype`. */
function runElementwise(
  opType: string,
  inputs: readonly NDArray[],
  dtype: DType,
  body: string,
  extraKey = '',
): NDArray {
  let outShape: number[] = inputs[0]!.shape.slice();
  for (let k = 1; k < inputs.length; k++) outShape = broadcastShapes(outShape, inputs[k]!.shape);
  const shapes = inputs.map((x) => x.shape);
  return runGpuKernel(
    kernelKey(opType, inputs, extraKey),
    () => elementwiseSource(shapes, outShape, body),
    inputs.map(kernelArg),
    dtype,
    outShape,
  );
}

// Ops whose int32 results are exact input values (or small), so float32 kernels reproduce them.
const UNARY_BODIES: Partial<Record<OpType, { body: string; integerPolicy: IntegerPolicy }>> = {
  Neg: { body: 'return -x0;', integerPolicy: 'exact-values' },
  Abs: { body: 'return Math.abs(x0);', integerPolicy: 'exact-values' },
  Exp: { body: 'return Math.exp(x0);', integerPolicy: 'cpu' },
  Log: { body: 'return Math.log(x0);', integerPolicy: 'cpu' },
  Sqrt: { body: 'return Math.sqrt(x0);', integerPolicy: 'cpu' },
  Square: { body: 'return x0 * x0;', integerPolicy: 'cpu' },
  Sign: {
    body: 'if (x0 > 0.0) { return 1.0; }\nif (x0 < 0.0) { return -1.0; }\nreturn x0;',
    integerPolicy: 'exact-values',
  },
  Reciprocal: { body: 'return 1.0 / x0;', integerPolicy: 'cpu' },
  Rsqrt: { body: 'return 1.0 / Math.sqrt(x0);', integerPolicy: 'cpu' },
  Floor: { body: 'return Math.floor(x0);', integerPolicy: 'cpu' },
  // `x < 0 ? 0 : x` passes NaN through, like the cpu kernel and TF.
  Relu: { body: 'if (x0 < 0.0) { return 0.0; }\nreturn x0;', integerPolicy: 'exact-values' },
  Sigmoid: { body: 'return 1.0 / (1.0 + Math.exp(-x0));', integerPolicy: 'cpu' },
  Tanh: { body: 'return Math.tanh(x0);', integerPolicy: 'cpu' },
};

// Pow on GL is undefined for negative bases; integral exponents get their sign explicitly.
const POW_BODY = `if (x0 < 0.0 && Math.floor(x1) === x1) {
  const p = Math.pow(-x0, x1);
  if (Math.floor(x1 / 2.0) * 2.0 === x1) { return p; }
  return -p;
}
return Math.pow(x0, x1);`;

const BINARY_BODIES: Partial<Record<OpType, { body: string; integerPolicy: IntegerPolicy }>> = {
  Add: { body: 'return x0 + x1;', integerPolicy: 'cpu' },
  Sub: { body: 'return x0 - x1;', integerPolicy: 'cpu' },
  Mul: { body: 'return x0 * x1;', integerPolicy: 'cpu' },
  Div: { body: 'return x0 / x1;', integerPolicy: 'cpu' },
  Pow: { body: POW_BODY, integerPolicy: 'cpu' },
  Maximum: { body: 'return Math.max(x0, x1);', integerPolicy: 'exact-values' },
  Minimum: { body: 'return Math.min(x0, x1);', integerPolicy: 'exact-values' },
};

const COMPARISON_BODIES: Partial<Record<OpType, string>> = {
  Equal: 'if (x0 === x1) { return 1.0; }\nreturn 0.0;',
  NotEqual: 'if (x0 === x1) { return 0.0; }\nreturn 1.0;',
  Greater: 'if (x0 > x1) { return 1.0; }\nreturn 0.0;',
  GreaterEqual: 'if (x0 >= x1) { return 1.0; }\nreturn 0.0;',
  Less: 'if (x0 < x1) { return 1.0; }\nreturn 0.0;',
  LessEqual: 'if (x0 <= x1) { return 1.0; }\nreturn 0.0;',
};

const SELECT_BODY = 'if (x0 !== 0.0) { return x1; }\nreturn x2;';

/** float32 -> int32 truncates toward zero; anything -> bool is x != 0; the rest are exact copies. */
function castBody(to: DType): string {
  if (to === 'int32') return 'if (x0 < 0.0) { return Math.ceil(x0); }\nreturn Math.floor(x0);';
  if (to === 'bool') return 'if (x0 === 0.0) { return 0.0; }\nreturn 1.0;';
  return 'return x0;';
}

function castUnsupported(inputs: readonly NDArray[]): string | undefined {
  const x = inputs[0]!;
  if (x.dtype !== 'float32') return undefined;
  const data = x.data;
  // int32 casts wrap modulo 2^32 past 2^31; float32 kernels are exact only below 2^24.
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v > MAX_EXACT_FLOAT_INT || v < -MAX_EXACT_FLOAT_INT)
      return 'casting float32 values beyond 2^24 to int32 needs int32 wrap-around, which float32 gpu.js kernels cannot reproduce';
  }
  return undefined;
}

/** Shapes that do not broadcast get the cpu kernel's named `Incompatible shapes` error. */
function notBroadcastable(inputs: readonly NDArray[]): string | undefined {
  try {
    let shape: readonly number[] = inputs[0]!.shape;
    for (let k = 1; k < inputs.length; k++) shape = broadcastShapes(shape, inputs[k]!.shape);
    return undefined;
  } catch {
    return invalidInput('incompatible shapes are reported by the cpu kernel');
  }
}

/** A table's entries with their keys as the op types the table's type already checked them to be. */
function bodies<B>(table: Partial<Record<OpType, B>>): [OpType, B][] {
  return Object.entries(table) as [OpType, B][];
}

export const elementwiseGpuKernels: OpKernelSpec[] = [
  ...bodies(UNARY_BODIES).map(([opType, { body, integerPolicy }]) =>
    defineGpuKernel({ opType, integerPolicy, run: (inputs) => runElementwise(opType, inputs, inputs[0]!.dtype, body) }),
  ),
  ...bodies(BINARY_BODIES).map(([opType, { body, integerPolicy }]) =>
    defineGpuKernel({
      opType,
      integerPolicy,
      unsupported: notBroadcastable,
      run: (inputs) => runElementwise(opType, inputs, inputs[0]!.dtype, body),
    }),
  ),
  ...bodies(COMPARISON_BODIES).map(([opType, body]) =>
    defineGpuKernel({
      opType,
      integerPolicy: 'exact-values',
      unsupported: notBroadcastable,
      run: (inputs) => runElementwise(opType, inputs, 'bool', body),
    }),
  ),
  defineGpuKernel({
    opType: 'Select',
    integerPolicy: 'exact-values',
    unsupported: notBroadcastable,
    run: (inputs) => runElementwise('Select', inputs, inputs[1]!.dtype, SELECT_BODY),
  }),
  defineGpuKernel({
    opType: 'Cast',
    integerPolicy: 'exact-values',
    unsupported: (inputs, op) => (attrsOf<'Cast'>(op).dtype === 'int32' ? castUnsupported(inputs) : undefined),
    run: (inputs, ctx) => {
      const to = ctx.attrs.dtype;
      if (inputs[0]!.dtype === to) return inputs[0]!;
      return runElementwise('Cast', inputs, to, castBody(to), to);
    },
  }),
];
