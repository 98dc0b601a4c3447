import { describe, expect, it } from 'vitest';
import { OutOfRangeError } from '@tsflow/core';
import { Observable, Subject, from, interval, lastValueFrom, take, toArray } from 'rxjs';
import { Dataset } from '../dataset.js';

describe('Dataset.fromObservable', () => {
  it('yields what the observable emits, subscribing once per pass', async () => {
    let subscriptions = 0;
    const source = new Observable<number>((subscriber) => {
      subscriptions++;
      [1, 2, 3].forEach((x) => {
        subscriber.next(x);
      });
      subscriber.complete();
    });
    const ds = Dataset.fromObservable(source).map((x) => x * 10);
    expect(subscriptions).toBe(0);
    expect(await ds.toArray()).toEqual([10, 20, 30]);
    expect(await ds.toArray()).toEqual([10, 20, 30]);
    expect(subscriptions).toBe(2);
  });

  it('waits for asynchronous emissions', async () => {
    expect(await Dataset.fromObservable(interval(1).pipe(take(5))).toArray()).toEqual([0, 1, 2, 3, 4]);
  });

  it('by default fails with an OutOfRangeError naming the buffer size when the consumer falls behind', async () => {
    const ds = Dataset.fromObservable(from([...Array(10).keys()]), { bufferSize: 4 });
    const failure = await ds.toArray().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OutOfRangeError);
    expect((failure as Error).message).toMatch(
      /^Error in FromObservable\(bufferSize=4\) \(stage 1 of 'FromObservable\(bufferSize=4\)'\): the consumer fell more than bufferSize=4 elements behind/,
    );
  });

  it('dropOldest keeps the newest elements, dropNewest the oldest', async () => {
    const ten = from([...Array(10).keys()]);
    expect(await Dataset.fromObservable(ten, { bufferSize: 4, overflow: 'dropOldest' }).toArray()).toEqual([
      6, 7, 8, 9,
    ]);
    expect(await Dataset.fromObservable(ten, { bufferSize: 4, overflow: 'dropNewest' }).toArray()).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it('an observable error surfaces after the elements before it, naming the stage', async () => {
    const subject = new Subject<number>();
    const it = Dataset.fromObservable(subject).iterator();
    subject.next(1);
    subject.error(new Error('socket closed'));
    expect((await it.next()).value).toBe(1);
    await expect(it.next()).rejects.toThrow(/^Error in FromObservable\(bufferSize=1024\) .*: socket closed$/);
  });

  it('closing the pass unsubscribes', async () => {
    let unsubscribed = false;
    const source = new Observable<number>((subscriber) => {
      subscriber.next(1);
      return () => {
        unsubscribed = true;
      };
    });
    for await (const x of Dataset.fromObservable(source)) if (x === 1) break;
    expect(unsubscribed).toBe(true);
  });

  it('saveState says observables cannot be saved', async () => {
    const it = Dataset.fromObservable(from([1])).iterator();
    await it.next();
    expect(() => it.saveState()).toThrow(/FromObservable\(bufferSize=1024\) cannot save its iterator state/);
  });
});

describe('ds.toObservable', () => {
  it('emits every element then completes', async () => {
    expect(
      await lastValueFrom(
        Dataset.range(5)
          .map((x) => x + 1)
          .toObservable()
          .pipe(toArray()),
      ),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it('unsubscription stops pulling (also from an infinite dataset) and closes the pass', async () => {
    let pulled = 0;
    let finalized = false;
    const ds = Dataset.fromGenerator(function* counter() {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          yield i;
        }
      } finally {
        finalized = true;
      }
    });
    expect(await lastValueFrom(ds.toObservable().pipe(take(3), toArray()))).toEqual([0, 1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pulled).toBe(3);
    expect(finalized).toBe(true);
  });

  it('an error in the pipeline reaches the subscriber', async () => {
    const ds = Dataset.range(3).map((x) => {
      if (x === 2) throw new Error('bad');
      return x;
    });
    await expect(lastValueFrom(ds.toObservable())).rejects.toThrow(
      /Error in Map \(stage 2 of 'Range\(0, 3\) -> Map'\): bad/,
    );
  });
});
