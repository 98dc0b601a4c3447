import {
  type IndexedSlices,
  InvalidArgumentError,
  type Tensor,
  type TensorLike,
  type Variable,
  applyAdagrad,
  sparseApplyAdagrad,
} from '@tsflow/core';
import { Optimizer } from './optimizer.js';

export interface AdagradOptions {
  /** Starting value of the accumulator slot (default 0.1, must be > 0: there is no epsilon). */
  initialAccumulatorValue?: number;
  name?: string;
}

/**
 * TF1 Adagrad: `accum += g²; var -= lr * g / sqrt(accum)`. Slot: `<var>/Adagrad`.
 *
 * @example
 * new AdagradOptimizer(0.1).minimize(loss);
 */
export class AdagradOptimizer extends Optimizer {
  private readonly initialAccumulatorValue: number;
  private lrTensor: Tensor | undefined;

  constructor(
    private readonly learningRate: TensorLike,
    options: AdagradOptions = {},
  ) {
    super(options.name ?? 'Adagrad');
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    if (!(this.initialAccumulatorValue > 0)) {
      throw new InvalidArgumentError(`initialAccumulatorValue must be positive, got ${this.initialAccumulatorValue}`);
    }
  }

  protected createSlots(vars: readonly Variable[]): void {
    for (const v of vars) this.slot(v, 'accumulator', this.initialAccumulatorValue);
  }

  protected prepare(): void {
    this.lrTensor = this.hyperparameter(this.learningRate, 'learning_rate');
  }

  protected applyDense(grad: Tensor, variable: Variable): Tensor {
    return applyAdagrad(variable, this.getSlot(variable, 'accumulator')!, this.lrTensor!, grad);
  }

  protected applySparse(grad: IndexedSlices, variable: Variable): Tensor {
    return sparseApplyAdagrad(
      variable,
      this.getSlot(variable, 'accumulator')!,
      this.lrTensor!,
      grad.values,
      grad.indices,
    );
  }
}
