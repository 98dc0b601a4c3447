import {
  type IndexedSlices,
  type Tensor,
  type TensorLike,
  type Variable,
  applyMomentum,
  sparseApplyMomentum,
} from '@tsflow/core';
import { Optimizer } from './optimizer.js';

export interface MomentumOptions {
  /** Nesterov momentum: `var -= lr * (grad + momentum * accum)`. */
  useNesterov?: boolean;
  name?: string;
}

/**
 * TF1 momentum: `accum = momentum * accum + grad; var -= lr * accum`. Slot: `<var>/Momentum`.
 *
 * @example
 * new MomentumOptimizer(0.1, 0.9, { useNesterov: true }).minimize(loss);
 */
export class MomentumOptimizer extends Optimizer {
  private readonly useNesterov: boolean;
  private lrTensor: Tensor | undefined;
  private momentumTensor: Tensor | undefined;

  constructor(
    private readonly learningRate: TensorLike,
    private readonly momentum: TensorLike,
    options: MomentumOptions = {},
  ) {
    super(options.name ?? 'Momentum');
    this.useNesterov = options.useNesterov ?? false;
  }

  protected createSlots(vars: readonly Variable[]): void {
    for (const v of vars) this.slot(v, 'momentum', 0);
  }

  protected prepare(): void {
    this.lrTensor = this.hyperparameter(this.learningRate, 'learning_rate');
    this.momentumTensor = this.hyperparameter(this.momentum, 'momentum');
  }

  protected applyDense(grad: Tensor, variable: Variable): Tensor {
    return applyMomentum(variable, this.getSlot(variable, 'momentum')!, this.lrTensor!, grad, this.momentumTensor!, {
      useNesterov: this.useNesterov,
    });
  }

  protected applySparse(grad: IndexedSlices, variable: Variable): Tensor {
    return sparseApplyMomentum(
      variable,
      this.getSlot(variable, 'momentum')!,
      this.lrTensor!,
      grad.values,
      grad.indices,
      this.momentumTensor!,
      {
        useNesterov: this.useNesterov,
      },
    );
  }
}
