// optimizers
export {
  Optimizer,
  type GradAndVar,
  type ComputeGradientsOptions,
  type ApplyGradientsOptions,
  type MinimizeOptions,
} from './optimizers/optimizer.js';
export { GradientDescentOptimizer } from './optimizers/gradient_descent.js';
export { MomentumOptimizer, type MomentumOptions } from './optimizers/momentum.js';
export { AdamOptimizer } from './optimizers/adam.js';
export { RMSPropOptimizer, type RMSPropOptions } from './optimizers/rmsprop.js';
export { AdagradOptimizer, type AdagradOptions } from './optimizers/adagrad.js';
export { getOrCreateGlobalStep, getGlobalStep, GLOBAL_STEP_COLLECTION } from './optimizers/global_step.js';

// one DataLossError for the whole project (defined in @tsflow/core)
export { DataLossError } from '@tsflow/core';
