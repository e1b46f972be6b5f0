/**
 * The feed (feed/feed.ts) without a network: upstream events handed to it as the upstream
 * session would, a fake socket as its port. What it writes, what it keeps, in which order, and
 * what it does past its queue's bound.
 */
import { createLogger } from '../../common/logger';
import { Feed, type FeedDeps, type FeedFrame, type FeedPort } from '../../feed';
import type { SdkEvent } from '../../core_func/upstream/clientSdk';

const ev = (event: string, data: unknown, operationID = 'op'): SdkEvent => ({ event, data, errCode: 0, errMsg: '', operationID });
const message = (n: number) => ({ clientMsgID: `m${n}`, serverMsgID: `s${n}`, sendID: 'bob', recvID: 'alice', seq: n, sessionType: 1, contentType: 101, textElem: { content: `t${n}` } });

/** A socket that takes frames while `open`; records what it was asked. */
class FakePort implements FeedPort {
  open = true;
  readonly written: FeedFrame[] = [];
  readonly calls: string[] = [];
  readonly bufferedAmount = 0;
  write(f: FeedFrame): boolean {
    if (!this.open) return false;
    this.written.push(f);
    return true;
  }
  pending(): void {
    this.calls.push('pending');
  }
  ended(event: string): void {
    this.calls.push(`ended ${event}`);
  }
  kickedOff(reason: string): void {
    this.calls.push(`kickedOff ${reason}`);
  }
  overflowed(): void {
    this.calls.push('overflowed');
  }
}

function feed(maxEvents = 100): { feed: Feed; released: Feed[] } {
  const released: Feed[] = [];
  const deps: FeedDeps = {
    upstream: { apiAddress: 'http://127.0.0.1:9', wsAddress: 'ws://127.0.0.1:9' },
    loginTimeoutMs: 1_000,
    queue: { maxEvents, maxBytes: 1 << 20 },
    syncHold: { maxEvents: 100, maxMs: 60_000 },
    registry: { release: (_u, _p, f) => void released.push(f) },
  };
  return { feed: new Feed(deps, { userID: 'alice', platformID: 5, token: 't', loginOperationID: 'login-op' }, createLogger('silent')), released };
}

const names = (frames: readonly FeedFrame[]) => frames.map((f) => f.event);

describe('Feed', () => {
  it('writes an event through the attached port at once, in the jssdk\'s shape, and not the client SDK\'s own unread total', () => {
    const { feed: f } = feed();
    const port = new FakePort();
    f.attach(port);
    f.receive(ev('OnRecvNewMessages', [message(1)]));
    f.receive(ev('OnTotalUnreadMessageCountChanged', 9));
    expect(names(port.written)).toEqual(['OnRecvNewMessages']);
    const [m] = port.written[0]!.data as Array<{ clientMsgID: string; textElem: { content: string } }>;
    expect(m).toMatchObject({ clientMsgID: 'm1', textElem: { content: 't1' } });
    expect(port.calls).toEqual([]);
  });

  it('keeps what the socket does not take, and what comes after it behind it, until the port writes them in order', () => {
    const { feed: f } = feed();
    const port = new FakePort();
    f.attach(port);
    port.open = false;
    f.receive(ev('OnRecvNewMessages', [message(1)], 'a'));
    port.open = true;
    f.receive(ev('OnRecvNewMessages', [message(2)], 'b'));
    expect(port.written).toEqual([]);
    expect(port.calls).toEqual(['pending', 'pending']);
    const out: string[] = [];
    for (let next = f.next(); next; next = f.next()) {
      out.push(next.operationID);
      f.written(next);
    }
    expect(out).toEqual(['a', 'b']);
    expect(f.bufferedBytes).toBe(0);
  });

  it('keeps frames for a socket that is not there yet, and hands them to the next one attached', () => {
    const { feed: f } = feed();
    f.receive(ev('OnConnectSuccess', undefined, 'x'));
    f.receive(ev('OnRecvNewMessages', [message(1)], 'y'));
    const port = new FakePort();
    f.attach(port);
    expect(port.calls).toEqual(['pending']);
    expect([f.next()?.event]).toEqual(['OnConnectSuccess']);
  });

  it('sends OnKickedOffline once, and tells the port the upstream ended', () => {
    const { feed: f } = feed();
    const port = new FakePort();
    f.attach(port);
    expect(f.claimKick()).toBe(true);
    f.receive(ev('OnKickedOffline', undefined));
    expect(names(port.written)).toEqual([]);
    expect(port.calls).toEqual(['ended OnKickedOffline']);
  });

  it('past its queue\'s bound keeps nothing and tells the port to give up its socket', () => {
    const { feed: f } = feed(2);
    const port = new FakePort();
    f.attach(port);
    port.open = false;
    for (let i = 1; i <= 3; i++) f.receive(ev('OnRecvNewMessages', [message(i)]));
    expect(port.calls).toEqual(['pending', 'pending', 'overflowed']);
    expect(f.next()).toBeUndefined();
  });

  it('ends: nothing more is written, and it leaves the registry', () => {
    const { feed: f, released } = feed();
    const port = new FakePort();
    f.attach(port);
    f.end();
    f.receive(ev('OnRecvNewMessages', [message(1)]));
    expect(port.written).toEqual([]);
    expect(released).toEqual([f]);
    expect(f.park()).toBe(false);
  });
});
