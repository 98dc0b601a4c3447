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

// checkpoints (safetensors + TF's `checkpoint` state file)
export { Saver, readCheckpoint, type SaverOptions, type SaveOptions } from './checkpoint/saver.js';
export { VariableAssigner } from './checkpoint/variable_assigner.js';
export { latestCheckpoint, readCheckpointState, type CheckpointState } from './checkpoint/checkpoint_state.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  entryToNDArray,
  MAX_HEADER_BYTES,
  type SafetensorsDType,
  type SafetensorsEntry,
  type SafetensorsFile,
} from './checkpoint/safetensors_format.js';

// TensorBoard event files
export { SummaryWriter, type SummaryWriterOptions } from './summary/summary_writer.js';
export { readEvents, eventFiles } from './summary/read_events.js';
export type { ReadEvent } from './summary/event_decode.js';
export type { GraphDefValue, NodeDefValue, AttrValueRead } from './summary/graph_def_decode.js';
export type { HistogramValue } from './summary/histogram.js';
export type { SessionStatus } from './summary/event_encode.js';
export { crc32c, maskedCrc32c } from './summary/crc32c.js';

// the training loop
export { Trainer, type TrainerOptions } from './trainer/trainer.js';
export { earlyStopping, type EarlyStoppingOptions } from './trainer/early_stopping.js';
export { terminateOnNonFinite, learningRateSchedule } from './trainer/standard_callbacks.js';
export type {
  Callback,
  EpochLog,
  Every,
  FitOptions,
  History,
  StepLog,
  StopReason,
  TrainerEvent,
  TrainerHandle,
  ValidationOptions,
} from './trainer/trainer_types.js';
export { TRAINER_STATE_KEY, type TrainerState } from './trainer/resume_state.js';

// declarative training (`tsflow train <config.json>`)
export { parseTrainConfig, type TrainConfig, type OptimizerName } from './config/train_config.js';
export { loadTrainConfig } from './config/load_train_config.js';
export {
  trainFromConfig,
  type TrainFromConfigOptions,
  type TrainFromConfigResult,
} from './config/train_from_config.js';
export { buildMlp, type MlpSpec } from './config/mlp_model.js';
export { readScalars, type ScalarPoint } from './summary/scalar_series.js';
