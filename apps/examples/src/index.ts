export {
  trainDigitsMlp,
  buildDigitsModel,
  type DigitsTrainingOptions,
  type DigitsTrainingResult,
  type EpochReport,
} from './digits_mlp.js';
export { fixturePath } from './fixtures.js';
export { trainIrisSoftmax } from './iris_softmax.js';
