/**
 * A group message reaching many sessions of one bridge (open-im-sdk 3.5.2 → bridge → emulator),
 * with the fan-out cache on (its default): every member gets every message once, in order, with
 * its own content, as the sender sent it (feed/fanOutCache.ts; test/unit/fanOutCache.test.ts
 * shows members whose copies differ getting frames of their own).
 */
import type { MessageItem } from 'open-im-sdk';
import { OPTIONS } from '../../../common/config';
import { createGroup, startGroupSuite, type GroupSuite } from './groupSupport';

let suite: GroupSuite;

beforeAll(async () => {
  suite = await startGroupSuite();
});
afterAll(async () => {
  await suite.close();
});

const MEMBERS = 6;
const TEXT = 101;

it('sends each member every group message once, in order, with its content (fanout_cache_entries on)', async () => {
  expect(OPTIONS.fanoutCacheEntries.default).toBeGreaterThan(0);
  const [owner, ...members] = await suite.loggedInUsers('fan', MEMBERS + 1);
  const group = await createGroup(owner!, members);
  const marks = members.map((m) => m.events.mark());
  const sent: MessageItem[] = [];
  for (const text of ['first to all', 'second: "quoted" <b>&</b>', 'third \u2028 line']) {
    const created = (await owner!.sdk.createTextMessage(text)).data;
    sent.push((await owner!.sdk.sendMessage({ recvID: '', groupID: group.groupID, message: created })).data);
  }
  const last = sent[sent.length - 1]!.clientMsgID;
  await Promise.all(
    members.map((m, i) => m.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((x) => x.clientMsgID === last), undefined, marks[i])),
  );
  const seqs: string[] = [];
  for (const [i, m] of members.entries()) {
    const received = m.events
      .all('OnRecvNewMessages')
      .filter((e) => m.events.history.indexOf(e) >= marks[i]!)
      .flatMap((e) => e.data as MessageItem[])
      .filter((x) => x.groupID === group.groupID && x.contentType === TEXT);
    expect(received.map((x) => [x.clientMsgID, x.sendID, x.groupID, x.textElem?.content, x.isRead])).toEqual(
      sent.map((x) => [x.clientMsgID, owner!.userID, group.groupID, x.textElem?.content, false]),
    );
    seqs.push(received.map((x) => x.seq).join(','));
  }
  // the group's seqs: the same for every member, rising
  expect(new Set(seqs).size).toBe(1);
  const [a, b, c] = seqs[0]!.split(',').map(Number);
  expect(a! < b! && b! < c!).toBe(true);
});
