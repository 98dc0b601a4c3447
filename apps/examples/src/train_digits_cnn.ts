import { trainDigitsCnn } from './digits_cnn.js';

// The second example: a small CNN (conv2d / maxPool) on the same digits split. Run: npm run example:cnn -w @tsflow/examples
const { history, testAccuracy } = await trainDigitsCnn();
console.log(`done: CNN held-out accuracy ${(testAccuracy * 100).toFixed(1)}% after ${history.epochs.length} epochs`);
