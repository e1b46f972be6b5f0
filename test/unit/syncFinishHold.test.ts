/** SyncFinishHold: OnSyncServerFinish and what follows it wait for a catch-up's events. */
import { SyncFinishHold } from '../../core_func/continuity/syncFinishHold';

type E = { event: string; n: number };

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('SyncFinishHold', () => {
  it('lets everything through when nothing is being caught up', () => {
    const hold = new SyncFinishHold<E>();
    expect(hold.admit({ event: 'OnSyncServerFinish', n: 1 })).toBe(true);
  });

  it('lets events before OnSyncServerFinish through, keeps it and every later one, then sends the catch-up first', async () => {
    const hold = new SyncFinishHold<E>();
    const sent: number[] = [];
    const send = (e: E) => {
      if (hold.admit(e)) sent.push(e.n);
    };
    const work = deferred<E[]>();
    hold.hold(work.promise, send);
    send({ event: 'OnSyncServerStart', n: 1 });
    send({ event: 'OnSyncServerFinish', n: 2 });
    send({ event: 'OnRecvNewMessages', n: 3 });
    expect(sent).toEqual([1]);
    work.resolve([
      { event: 'OnFriendAdded', n: 10 },
      { event: 'OnJoinedGroupAdded', n: 11 },
    ]);
    await work.promise;
    await Promise.resolve();
    expect(sent).toEqual([1, 10, 11, 2, 3]);
    send({ event: 'OnRecvNewMessages', n: 4 });
    expect(sent).toEqual([1, 10, 11, 2, 3, 4]);
  });
});
