/** The feed's sync hold (feed/syncHold.ts): OnSyncServerFinish and what follows it wait for a catch-up's events, within bounds. */
import { SyncHold, type SyncHoldCut } from '../../feed/syncHold';

type E = { event: string; n: number };

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function harness(limits = { maxEvents: 100, maxMs: 60_000 }) {
  const sent: number[] = [];
  const cuts: SyncHoldCut[] = [];
  const hold: SyncHold<E> = new SyncHold<E>(limits, (e) => sent.push(e.n), (r) => cuts.push(r));
  const send = (e: E) => {
    if (hold.admit(e)) sent.push(e.n);
  };
  return { hold, sent, cuts, send };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('SyncHold', () => {
  it('lets everything through when nothing is being caught up', () => {
    const { hold } = harness();
    expect(hold.admit({ event: 'OnSyncServerFinish', n: 1 })).toBe(true);
  });

  it('lets events before OnSyncServerFinish through, keeps it and every later one, then sends the catch-up first', async () => {
    const { hold, sent, send, cuts } = harness();
    const work = deferred<E[]>();
    hold.hold(work.promise);
    send({ event: 'OnSyncServerStart', n: 1 });
    send({ event: 'OnSyncServerFinish', n: 2 });
    send({ event: 'OnRecvNewMessages', n: 3 });
    expect(sent).toEqual([1]);
    work.resolve([
      { event: 'OnFriendAdded', n: 10 },
      { event: 'OnJoinedGroupAdded', n: 11 },
    ]);
    await settle();
    expect(sent).toEqual([1, 10, 11, 2, 3]);
    send({ event: 'OnRecvNewMessages', n: 4 });
    expect(sent).toEqual([1, 10, 11, 2, 3, 4]);
    expect(cuts).toEqual([]);
  });

  it('past max events sends what it holds at once, reports the cut, and the catch-up\'s events follow', async () => {
    const { hold, sent, send, cuts } = harness({ maxEvents: 3, maxMs: 60_000 });
    const work = deferred<E[]>();
    hold.hold(work.promise);
    send({ event: 'OnSyncServerFinish', n: 1 });
    send({ event: 'OnRecvNewMessages', n: 2 });
    expect(sent).toEqual([]);
    expect(hold.size).toBe(2);
    send({ event: 'OnRecvNewMessages', n: 3 });
    expect(sent).toEqual([1, 2, 3]);
    expect(cuts).toEqual(['events']);
    send({ event: 'OnRecvNewMessages', n: 4 });
    expect(sent).toEqual([1, 2, 3, 4]);
    work.resolve([{ event: 'OnFriendAdded', n: 10 }]);
    await settle();
    expect(sent).toEqual([1, 2, 3, 4, 10]);
  });

  it('past max ms sends what it holds and reports the cut', async () => {
    jest.useFakeTimers();
    try {
      const { hold, sent, send, cuts } = harness({ maxEvents: 100, maxMs: 5_000 });
      hold.hold(deferred<E[]>().promise);
      send({ event: 'OnSyncServerFinish', n: 1 });
      jest.advanceTimersByTime(4_999);
      expect(sent).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(sent).toEqual([1]);
      expect(cuts).toEqual(['time']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('after stop sends nothing it held', async () => {
    const { hold, sent, send } = harness();
    const work = deferred<E[]>();
    hold.hold(work.promise);
    send({ event: 'OnSyncServerFinish', n: 1 });
    hold.stop();
    work.resolve([]);
    await settle();
    expect(sent).toEqual([]);
  });
});
