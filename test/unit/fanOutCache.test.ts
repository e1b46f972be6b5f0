/**
 * feed/fanOutCache.ts with the real relays (core_func/events.ts) and the real JSON codec: a
 * message many members receive is converted and encoded once, and any member whose copy differs
 * (its read state, its attached info) gets a frame of its own. Every frame is compared with the
 * frame the same copy gives without the cache.
 */
import { RELAYS_BY_UPSTREAM } from '../../core_func/events';
import { FanOutCache } from '../../feed/fanOutCache';
import { jsonCodec } from '../../gate/codecs';

const EVENT = 'OnRecvNewMessages';
const relay = RELAYS_BY_UPSTREAM.get(EVENT)![0]!;

/** One member's copy of a group message, as its own client SDK hands it over. */
function copyFor(view: { isRead?: boolean; hasReadCount?: number; seq?: number } = {}): Array<Record<string, unknown>> {
  return [
    {
      clientMsgID: 'c1',
      serverMsgID: 's1',
      sendID: 'owner',
      groupID: 'g1',
      sessionType: 3,
      contentType: 101,
      seq: view.seq ?? 7,
      sendTime: 1_700_000_000_000,
      createTime: 1_700_000_000_000,
      isRead: view.isRead ?? false,
      status: 2,
      textElem: { content: 'hello "all" <members>' },
      attachedInfoElem: { groupHasReadInfo: { hasReadCount: view.hasReadCount ?? 0, unreadCount: 3 }, isPrivateChat: false },
    },
  ];
}

/** The text a member's socket gets, with the cache and without. */
function frameText(cache: FanOutCache | undefined, copy: unknown, operationID: string): string {
  const { data, encodings } = cache ? cache.convert(relay, EVENT, copy) : { data: relay.convert(copy), encodings: undefined };
  return jsonCodec.encode({ event: relay.event, errCode: 0, errMsg: '', data, operationID, shared: encodings }) as string;
}

describe('fan-out cache', () => {
  it('gives two members different frames for the same message when their copies differ, and each the frame it would get alone', () => {
    const cache = new FanOutCache(16);
    const views = [{}, { isRead: true }, {}, { hasReadCount: 1 }, {}, { isRead: true }];
    views.forEach((view, i) => {
      const op = `op-${i}`;
      expect(frameText(cache, copyFor(view), op)).toBe(frameText(undefined, copyFor(view), op));
    });
    const unread = JSON.parse(JSON.parse(frameText(cache, copyFor(), 'x')).data)[0];
    const read = JSON.parse(JSON.parse(frameText(cache, copyFor({ isRead: true }), 'x')).data)[0];
    expect([unread.isRead, read.isRead]).toEqual([false, true]);
  });

  it('shares one frozen conversion and one encoding among members with equal copies, from the second on', () => {
    const cache = new FanOutCache(16);
    const first = cache.convert(relay, EVENT, copyFor());
    const second = cache.convert(relay, EVENT, copyFor());
    const third = cache.convert(relay, EVENT, copyFor());
    expect(first.encodings).toBeUndefined();
    expect(second.encodings).toBeDefined();
    expect(third.data).toBe(second.data);
    expect(third.encodings).toBe(second.encodings);
    expect(Object.isFrozen(second.data) && Object.isFrozen((second.data as Array<Record<string, unknown>>)[0]!.textElem)).toBe(true);
    // a member whose copy differs gets its own data, not the shared one
    const other = cache.convert(relay, EVENT, copyFor({ isRead: true }));
    expect(other.data).not.toBe(second.data);
    expect(other.encodings).toBeUndefined();
  });

  it('keeps the shared data as it was when a member\'s SDK changes its copy afterwards', () => {
    const cache = new FanOutCache(16);
    cache.convert(relay, EVENT, copyFor());
    const live = copyFor();
    const shared = cache.convert(relay, EVENT, live);
    (live[0]!.textElem as Record<string, unknown>).content = 'changed later';
    expect(frameText(cache, copyFor(), 'op')).toBe(frameText(undefined, copyFor(), 'op'));
    expect(JSON.stringify(shared.data)).toContain('hello');
  });

  it('shares only the relays of messages, never events whose conversion has effects or per-user data', () => {
    const cache = new FanOutCache(16);
    const conversation = RELAYS_BY_UPSTREAM.get('OnConversationChanged')![0]!;
    const list = [{ conversationID: 'sg_g1', clientMsgID: 'c1', unreadCount: 1 }];
    for (let i = 0; i < 3; i++) expect(cache.convert(conversation, 'OnConversationChanged', list).encodings).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('remembers at most fanout_cache_entries messages, the oldest forgotten first; 0 shares nothing', () => {
    const cache = new FanOutCache(2);
    for (const seq of [1, 2, 3]) cache.convert(relay, EVENT, copyFor({ seq }));
    expect(cache.size).toBe(2);
    // seq 1 was forgotten: its next copy counts as a first sighting again
    expect(cache.convert(relay, EVENT, copyFor({ seq: 1 })).encodings).toBeUndefined();
    expect(cache.convert(relay, EVENT, copyFor({ seq: 1 })).encodings).toBeDefined();
    const off = new FanOutCache(0);
    for (let i = 0; i < 3; i++) expect(off.convert(relay, EVENT, copyFor()).encodings).toBeUndefined();
    expect(off.size).toBe(0);
  });

  it('writes a shared frame as the very text JSON.stringify writes for it', () => {
    const data = Object.freeze([{ clientMsgID: 'c', textElem: { content: 'line\nbreak \u2028 "q" \\ é' } }]);
    const frame = { event: 'OnRecvNewMessages', errCode: 0, errMsg: 'm"sg', data, operationID: 'op"1' };
    const shared = {};
    expect(jsonCodec.encode({ ...frame, shared })).toBe(jsonCodec.encode(frame));
    expect(jsonCodec.encode({ ...frame, operationID: 'op2', shared })).toBe(jsonCodec.encode({ ...frame, operationID: 'op2' }));
  });
});
