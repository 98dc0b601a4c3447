import {
  type Graph,
  type IndexedSlices,
  type Operation,
  type Tensor,
  type TensorLike,
  type Variable,
  applyAdam,
  controlDependencies,
  group,
  mul,
  sparseApplyAdam,
} from '@tsflow/core';
import { Optimizer } from './optimizer.js';

/**
 * TF1 Adam. Per step t: `lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`,
 * `m = beta1 m + (1 - beta1) g`, `v = beta2 v + (1 - beta2) g²`,
 * `var -= lr_t * m / (sqrt(v) + epsilon)` (epsilon on the uncorrected sqrt(v), as TF1).
 * Slots `<var>/Adam` (m) and `<var>/Adam_1` (v); shared `beta1_power`, `beta2_power` variables.
 *
 * @example
 * const trainOp = new AdamOptimizer(0.01).minimize(loss, { globalStep: getOrCreateGlobalStep() });
 */
export class AdamOptimizer extends Optimizer {
  private tensors: { lr: Tensor; beta1: Tensor; beta2: Tensor; epsilon: Tensor } | undefined;
  private powers: { beta1: Variable; beta2: Variable } | undefined;

  constructor(
    private readonly learningRate: TensorLike = 0.001,
    private readonly beta1: number = 0.9,
    private readonly beta2: number = 0.999,
    private readonly epsilon: number = 1e-8,
    options: { name?: string } = {},
  ) {
    super(options.name ?? 'Adam');
  }

  protected createSlots(vars: readonly Variable[], graph: Graph): void {
    this.powers = {
      beta1: this.nonSlotVariable('beta1_power', this.beta1, graph),
      beta2: this.nonSlotVariable('beta2_power', this.beta2, graph),
    };
    for (const v of vars) {
      this.slot(v, 'm', 0);
      this.slot(v, 'v', 0);
    }
  }

  protected prepare(): void {
    this.tensors = {
      lr: this.hyperparameter(this.learningRate, 'learning_rate'),
      beta1: this.hyperparameter(this.beta1, 'beta1'),
      beta2: this.hyperparameter(this.beta2, 'beta2'),
      epsilon: this.hyperparameter(this.epsilon, 'epsilon'),
    };
  }

  protected applyDense(grad: Tensor, variable: Variable): Tensor {
    const t = this.tensors!;
    return applyAdam(
      variable,
      this.getSlot(variable, 'm')!,
      this.getSlot(variable, 'v')!,
      this.powers!.beta1,
      this.powers!.beta2,
      t.lr,
      t.beta1,
      t.beta2,
      t.epsilon,
      grad,
    );
  }

  /**
   * TF1's sparse Adam: m and v decay on every row, the looked-up rows add the gradient, and the
   * whole variable moves by lr_t * m / (sqrt(v) + epsilon) (so untouched rows keep moving).
   */
  protected applySparse(grad: IndexedSlices, variable: Variable): Tensor {
    const t = this.tensors!;
    return sparseApplyAdam(
      variable,
      this.getSlot(variable, 'm')!,
      this.getSlot(variable, 'v')!,
      this.powers!.beta1,
      this.powers!.beta2,
      t.lr,
      t.beta1,
      t.beta2,
      t.epsilon,
      grad.values,
      grad.indices,
    );
  }

  /** After every variable's update (which read the old powers), advance beta1^t and beta2^t. */
  protected override finish(updates: Operation[], name: string): Operation {
    const { beta1, beta2 } = this.powers!;
    const t = this.tensors!;
    const advanced = controlDependencies(updates, () => [
      beta1.assign(mul(beta1, t.beta1), { name: 'update_beta1_power' }),
      beta2.assign(mul(beta2, t.beta2), { name: 'update_beta2_power' }),
    ]);
    return group([...updates, ...advanced], { name });
  }
}
