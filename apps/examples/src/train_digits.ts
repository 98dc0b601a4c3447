import { relative } from 'node:path';
import { trainDigitsMlp } from './digits_mlp.js';
import { repoPath } from './fixtures.js';

// The README's main job: train the example MLP on the shipped digits fixture with Trainer.fit.
const result = await trainDigitsMlp();
const last = result.history.epochs.at(-1)!;
const root = repoPath('');
const where = relative(root, result.runDir!) || '.';
console.log(
  `done: held-out accuracy ${(result.testAccuracy * 100).toFixed(1)}% after ${result.history.epochs.length} epochs ` +
    `(train loss ${last.loss.toFixed(4)}, ${result.stepsPerSecond.toFixed(0)} steps/s)`,
);
console.log(`checkpoints: ${where}/ (latest: ${relative(root, result.history.checkpoint ?? '')})`);
console.log(
  `TensorBoard logs: ${where}/logs; from the repository root view them with: npx tsflow events ${where}/logs  (or: tensorboard --logdir ${where}/logs)`,
);
if (!(result.testAccuracy >= 0.97)) {
  console.error('held-out accuracy below 97%: training did not converge');
  process.exitCode = 1;
}
