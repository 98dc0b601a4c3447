export {
  trainDigitsMlp,
  buildDigitsModel,
  type DigitsTrainingOptions,
  type DigitsTrainingResult,
} from './digits_mlp.js';
export { fixturePath, repoPath } from './fixtures.js';
export { splitDigits, pixelStatistics, type DigitsBatch, type DigitsRow } from './digits_split.js';
export { trainIrisSoftmax } from './iris_softmax.js';
export { trainDigitsCnn, buildDigitsCnn, type DigitsCnnOptions } from './digits_cnn.js';
