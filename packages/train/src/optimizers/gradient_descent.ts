import {
  type IndexedSlices,
  type Tensor,
  type TensorLike,
  type Variable,
  applyGradientDescent,
  sparseApplyGradientDescent,
} from '@tsflow/core';
import { Optimizer } from './optimizer.js';

/**
 * Plain SGD: `var -= lr * grad`.
 *
 * @example
 * const trainOp = new GradientDescentOptimizer(0.5).minimize(loss);
 */
export class GradientDescentOptimizer extends Optimizer {
  private lrTensor: Tensor | undefined;

  constructor(
    private readonly learningRate: TensorLike,
    options: { name?: string } = {},
  ) {
    super(options.name ?? 'GradientDescent');
  }

  protected createSlots(): void {}

  protected prepare(): void {
    this.lrTensor = this.hyperparameter(this.learningRate, 'learning_rate');
  }

  protected applyDense(grad: Tensor, variable: Variable): Tensor {
    return applyGradientDescent(variable, this.lrTensor!, grad);
  }

  /** TF1: ScatterSub of lr * values into the looked-up rows. */
  protected applySparse(grad: IndexedSlices, variable: Variable): Tensor {
    return sparseApplyGradientDescent(variable, this.lrTensor!, grad.values, grad.indices);
  }
}
