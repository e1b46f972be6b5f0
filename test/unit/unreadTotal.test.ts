/** The unread total (core_func/coreRules/unreadTotal.ts): recomputations coalesced, one in flight and a dirty flag. */
import { UnreadTotalTracker } from '../../core_func/coreRules/unreadTotal';
import type { UpstreamSession } from '../../core_func/upstream/upstreamSession';

/** An upstream whose conversation list is answered when the test says so. */
function fakeUpstream() {
  const waiting: Array<() => void> = [];
  let unread = 0;
  const upstream = {
    call: () =>
      new Promise((resolve) => {
        const n = unread;
        waiting.push(() => resolve([{ unreadCount: n, recvMsgOpt: 0, latestMsgSendTime: 1 }]));
      }),
  } as unknown as UpstreamSession;
  return {
    upstream,
    setUnread: (n: number) => (unread = n),
    pending: () => waiting.length,
    answer: async () => {
      waiting.shift()?.();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('UnreadTotalTracker', () => {
  it('walks the list once per burst: one recomputation in flight, the events meanwhile mark it dirty for one more', async () => {
    const up = fakeUpstream();
    const emitted: Array<[number, string]> = [];
    let walks = 0;
    const tracker = new UnreadTotalTracker(() => up.upstream, (total, op) => emitted.push([total, op]), () => walks++);
    up.setUnread(1);
    tracker.observe('OnConversationChanged', 'a');
    for (const op of ['b', 'c', 'd']) tracker.observe('OnNewConversation', op);
    expect(walks).toBe(1);
    up.setUnread(4);
    await up.answer();
    expect(emitted).toEqual([[1, 'a']]);
    expect(walks).toBe(2);
    await up.answer();
    expect(emitted).toEqual([[1, 'a'], [4, 'd']]);
    expect(up.pending()).toBe(0);
    expect(walks).toBe(2);
  });

  it('ignores events that cannot change the total, and sends nothing after stop', async () => {
    const up = fakeUpstream();
    const emitted: number[] = [];
    const tracker = new UnreadTotalTracker(() => up.upstream, (total) => emitted.push(total));
    tracker.observe('OnRecvNewMessages', 'x');
    expect(up.pending()).toBe(0);
    up.setUnread(2);
    tracker.observe('OnConversationChanged', 'y');
    tracker.stop();
    await up.answer();
    expect(emitted).toEqual([]);
  });
});
