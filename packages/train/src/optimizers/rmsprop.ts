import {
  type IndexedSlices,
  type Tensor,
  type TensorLike,
  type Variable,
  applyCenteredRMSProp,
  applyRMSProp,
  sparseApplyCenteredRMSProp,
  sparseApplyRMSProp,
} from '@tsflow/core';
import { Optimizer } from './optimizer.js';

export interface RMSPropOptions {
  /** Discount of the moving averages (TF's `decay`, default 0.9). */
  decay?: number;
  momentum?: number;
  /** Added inside the square root (default 1e-10). */
  epsilon?: number;
  /** Normalise by the variance estimate ms - mg² instead of ms. */
  centered?: boolean;
  name?: string;
}

/**
 * TF1 RMSProp: `ms = decay ms + (1 - decay) g²; mom = momentum mom + lr g / sqrt(ms + eps);
 * var -= mom`. The `ms` slot (`<var>/RMSProp`) starts at ones, like TF1; `mg` (centered) and
 * `momentum` slots follow as `<var>/RMSProp_1`, `<var>/RMSProp_2`.
 *
 * @example
 * new RMSPropOptimizer(0.01, { momentum: 0.9, centered: true }).minimize(loss);
 */
export class RMSPropOptimizer extends Optimizer {
  private readonly decay: number;
  private readonly momentum: number;
  private readonly epsilon: number;
  private readonly centered: boolean;
  private tensors: { lr: Tensor; decay: Tensor; momentum: Tensor; epsilon: Tensor } | undefined;

  constructor(
    private readonly learningRate: TensorLike,
    options: RMSPropOptions = {},
  ) {
    super(options.name ?? 'RMSProp');
    this.decay = options.decay ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-10;
    this.centered = options.centered ?? false;
  }

  protected createSlots(vars: readonly Variable[]): void {
    for (const v of vars) {
      this.slot(v, 'rms', 1);
      if (this.centered) this.slot(v, 'mg', 0);
      this.slot(v, 'momentum', 0);
    }
  }

  protected prepare(): void {
    this.tensors = {
      lr: this.hyperparameter(this.learningRate, 'learning_rate'),
      decay: this.hyperparameter(this.decay, 'decay'),
      momentum: this.hyperparameter(this.momentum, 'momentum'),
      epsilon: this.hyperparameter(this.epsilon, 'epsilon'),
    };
  }

  protected applyDense(grad: Tensor, variable: Variable): Tensor {
    const t = this.tensors!;
    const ms = this.getSlot(variable, 'rms')!;
    const mom = this.getSlot(variable, 'momentum')!;
    if (this.centered) {
      return applyCenteredRMSProp(
        variable,
        this.getSlot(variable, 'mg')!,
        ms,
        mom,
        t.lr,
        t.decay,
        t.momentum,
        t.epsilon,
        grad,
      );
    }
    return applyRMSProp(variable, ms, mom, t.lr, t.decay, t.momentum, t.epsilon, grad);
  }

  protected applySparse(grad: IndexedSlices, variable: Variable): Tensor {
    const t = this.tensors!;
    const ms = this.getSlot(variable, 'rms')!;
    const mom = this.getSlot(variable, 'momentum')!;
    const { values, indices } = grad;
    if (this.centered) {
      return sparseApplyCenteredRMSProp(
        variable,
        this.getSlot(variable, 'mg')!,
        ms,
        mom,
        t.lr,
        t.decay,
        t.momentum,
        t.epsilon,
        values,
        indices,
      );
    }
    return sparseApplyRMSProp(variable, ms, mom, t.lr, t.decay, t.momentum, t.epsilon, values, indices);
  }
}
