import { trainDigitsMlp } from './digits_mlp.js';

// The README's main job: train the example MLP on the shipped digits fixture.
const result = await trainDigitsMlp();
console.log(
  `done: held-out accuracy ${(result.testAccuracy * 100).toFixed(1)}%, ${result.stepsPerSecond.toFixed(0)} training steps/s`,
);
if (result.testAccuracy < 0.85) {
  console.error('accuracy below 85%: training did not converge');
  process.exitCode = 1;
}
