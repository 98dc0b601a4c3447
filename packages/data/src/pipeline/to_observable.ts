import { Observable } from 'rxjs';
import type { DatasetIterator } from './dataset_iterator.js';
import { END_OF_SEQUENCE, NOT_READY } from './stage.js';
import { closeInBackground } from './close_quietly.js';

/** Elements taken synchronously before yielding to the event loop, so timers and I/O still run. */
const SYNC_ELEMENTS_PER_TURN = 4096;

/**
 * `ds.toObservable()`: each subscription runs one pass. Elements are pulled only while the
 * subscriber is subscribed; unsubscribing stops pulling and closes the pass.
 */
export function iteratorObservable<T>(openPass: () => DatasetIterator<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const it = openPass();
    let stopped = false;
    const pump = async (): Promise<void> => {
      let sinceYield = 0;
      // `subscriber.closed` also covers an unsubscribe that happens synchronously inside
      // next() (e.g. take(3)) before this function has returned its teardown.
      while (!stopped && !subscriber.closed) {
        let value = it.nextSync();
        if (value === NOT_READY) {
          const result = await it.next();
          value = result.done ? END_OF_SEQUENCE : result.value;
          sinceYield = 0;
        } else if (++sinceYield >= SYNC_ELEMENTS_PER_TURN) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sinceYield = 0;
        }
        if (stopped || subscriber.closed) return;
        if (value === END_OF_SEQUENCE) {
          subscriber.complete();
          return;
        }
        subscriber.next(value);
      }
    };
    pump().then(
      () => closeInBackground(it),
      (error: unknown) => {
        closeInBackground(it);
        if (!stopped) subscriber.error(error);
      },
    );
    return () => {
      stopped = true;
      closeInBackground(it);
    };
  });
}
