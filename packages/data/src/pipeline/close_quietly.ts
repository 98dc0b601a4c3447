import type { StageIterator } from './stage.js';

/**
 * Closes a finished inner pass without waiting for it. Its cleanup errors are dropped on
 * purpose: the elements were all delivered, and an unawaited rejection would otherwise be an
 * unhandled rejection that kills the process.
 */
export function closeInBackground(iterator: Pick<StageIterator<unknown>, 'close'>): void {
  iterator.close().catch(() => undefined);
}
