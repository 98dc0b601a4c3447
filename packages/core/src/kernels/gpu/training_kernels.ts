import type { ApplyAttrs } from '../../graph/op_types.js';
import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { shapesEqual } from '../../ndarray/shape.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';

/**
 * Fused optimizer updates on gpu.js (reference: kernels/cpu/training_kernels.ts). Inputs are
 * [var, ...slots, ...scalar hyperparameters, grad]; every new array (variable and slots) is one
 * elementwise kernel over w, s0.., g. Hyperparameters are kernel arguments, not literals, so a
 * schedule (Adam's beta powers) never recompiles; scalars derived from them (Adam's lr_t) are
 * computed on the host in float64 like the cpu kernel.
 */
/** What every update rule may read: the written variables, and useNesterov on the ops that have it. */
type UpdateAttrs = ApplyAttrs & { useNesterov?: boolean };

/** The fused dense updates. */
type ApplyOp =
  | 'ApplyGradientDescent'
  | 'ApplyMomentum'
  | 'ApplyAdam'
  | 'ApplyRMSProp'
  | 'ApplyCenteredRMSProp'
  | 'ApplyAdagrad';

interface UpdateRule {
  opType: ApplyOp;
  slotCount: number;
  /** Names of the host scalars passed to the kernels, from the op's scalar inputs. */
  scalarNames: readonly string[];
  hostScalars: (scalars: readonly number[], ctx: KernelContext<UpdateAttrs>) => number[];
  /** gpu.js statements returning the new variable, then one body per new slot. */
  bodies: (ctx: KernelContext<UpdateAttrs>) => readonly string[];
}

function updateSource(rule: UpdateRule, body: string, size: number): GpuKernelSource {
  const slotParams = Array.from({ length: rule.slotCount }, (_, k) => `as${k}`);
  const params = ['aw', ...slotParams, 'ag', ...rule.scalarNames].join(', ');
  const reads = [
    'const i = this.thread.x;',
    'const w = aw[i];',
    ...slotParams.map((p, k) => `const s${k} = ${p}[i];`),
    'const g = ag[i];',
  ];
  return kernelFunction(params, [...reads, body], size);
}

function applyKernel(rule: UpdateRule) {
  return (inputs: readonly NDArray[], ctx: KernelContext<UpdateAttrs>): NDArray => {
    const variable = inputs[0]!;
    const grad = inputs[inputs.length - 1]!;
    const slots = inputs.slice(1, 1 + rule.slotCount);
    const scalars = inputs.slice(1 + rule.slotCount, inputs.length - 1).map((s) => s.data[0]!);
    const args = [kernelArg(variable), ...slots.map(kernelArg), kernelArg(grad), ...rule.hostScalars(scalars, ctx)];
    const bodies = rule.bodies(ctx);
    const shape = variable.shape;
    const outputs = bodies.map((body, k) =>
      runGpuKernel(
        kernelKey(`${rule.opType}#${k}`, inputs, String(ctx.attrs.useNesterov === true)),
        () => updateSource(rule, body, variable.size),
        args,
        'float32',
        shape,
      ),
    );
    const slotNames = ctx.attrs.slots;
    for (let k = 0; k < rule.slotCount; k++) ctx.state.writeVariable(slotNames[k]!, outputs[1 + k]!);
    const value = outputs[0]!;
    ctx.state.writeVariable(ctx.attrs.variable, value);
    return value;
  };
}

const nesterov = (ctx: KernelContext<UpdateAttrs>): boolean => ctx.attrs.useNesterov === true;

const RULES: UpdateRule[] = [
  {
    opType: 'ApplyGradientDescent',
    slotCount: 0,
    scalarNames: ['lr'],
    hostScalars: ([lr]) => [lr!],
    bodies: () => ['return w - lr * g;'],
  },
  {
    opType: 'ApplyMomentum',
    slotCount: 1,
    scalarNames: ['lr', 'momentum'],
    hostScalars: ([lr, momentum]) => [lr!, momentum!],
    bodies: (ctx) => {
      const accum = 'const a = s0 * momentum + g;';
      const update = nesterov(ctx) ? 'return w - (lr * g + lr * momentum * a);' : 'return w - lr * a;';
      return [`${accum}\n${update}`, `${accum}\nreturn a;`];
    },
  },
  {
    opType: 'ApplyAdam',
    slotCount: 2,
    scalarNames: ['lrT', 'beta1', 'beta2', 'epsilon'],
    // lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), in float64 as the cpu kernel computes it.
    hostScalars: ([beta1Power, beta2Power, lr, beta1, beta2, epsilon]) => [
      (lr! * Math.sqrt(1 - beta2Power!)) / (1 - beta1Power!),
      beta1!,
      beta2!,
      epsilon!,
    ],
    bodies: (ctx) => {
      const m = 'const m = s0 + (g - s0) * (1.0 - beta1);';
      const v = 'const v = s1 + (g * g - s1) * (1.0 - beta2);';
      const direction = nesterov(ctx) ? 'const d = m * beta1 + (1.0 - beta1) * g;' : 'const d = m;';
      return [
        `${m}\n${v}\n${direction}\nreturn w - (lrT * d) / (Math.sqrt(v) + epsilon);`,
        `${m}\nreturn m;`,
        `${v}\nreturn v;`,
      ];
    },
  },
  {
    opType: 'ApplyRMSProp',
    slotCount: 2,
    scalarNames: ['lr', 'rho', 'momentum', 'epsilon'],
    hostScalars: ([lr, rho, momentum, epsilon]) => [lr!, rho!, momentum!, epsilon!],
    bodies: () => {
      const ms = 'const ms = s0 + (g * g - s0) * (1.0 - rho);';
      const mom = 'const u = s1 * momentum + (lr * g) / Math.sqrt(ms + epsilon);';
      return [`${ms}\n${mom}\nreturn w - u;`, `${ms}\nreturn ms;`, `${ms}\n${mom}\nreturn u;`];
    },
  },
  {
    opType: 'ApplyCenteredRMSProp',
    slotCount: 3,
    scalarNames: ['lr', 'rho', 'momentum', 'epsilon'],
    hostScalars: ([lr, rho, momentum, epsilon]) => [lr!, rho!, momentum!, epsilon!],
    bodies: () => {
      const mg = 'const mg = s0 + (g - s0) * (1.0 - rho);';
      const ms = 'const ms = s1 + (g * g - s1) * (1.0 - rho);';
      const mom = 'const u = s2 * momentum + (lr * g) / Math.sqrt(ms - mg * mg + epsilon);';
      return [
        `${mg}\n${ms}\n${mom}\nreturn w - u;`,
        `${mg}\nreturn mg;`,
        `${ms}\nreturn ms;`,
        `${mg}\n${ms}\n${mom}\nreturn u;`,
      ];
    },
  },
  {
    opType: 'ApplyAdagrad',
    slotCount: 1,
    scalarNames: ['lr'],
    hostScalars: ([lr]) => [lr!],
    bodies: () => {
      const a = 'const a = s0 + g * g;';
      return [`${a}\nreturn w - (lr * g) / Math.sqrt(a);`, `${a}\nreturn a;`];
    },
  },
];

/** A gradient of the wrong shape is reported by the cpu kernel, naming the variable. */
function unsupported(inputs: readonly NDArray[]): string | undefined {
  const variable = inputs[0]!;
  if (!shapesEqual(inputs[inputs.length - 1]!.shape, variable.shape))
    return invalidInput('a gradient of the wrong shape is reported by the cpu kernel');
  return variable.size === 0 ? 'empty variables are left to the cpu kernel' : undefined;
}

export const trainingGpuKernels: OpKernelSpec[] = RULES.map((rule) =>
  defineGpuKernel({ opType: rule.opType, integerPolicy: 'cpu', unsupported, run: applyKernel(rule) }),
);
