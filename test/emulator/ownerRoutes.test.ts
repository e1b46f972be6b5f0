/**
 * The REST routes a v3.8 server has beside the ones the client SDK calls:
 * /conversation/get_owner_conversation, /conversation/get_sorted_conversation_list
 * (internal/rpc/conversation) and /user/process_user_command_* (internal/rpc/user), with their
 * protocol Check()s and access checks.
 */
import { adminPost, userToken } from '../support/admin';
import { WEB_PLATFORM_ID } from '../support/clientSdk';
import { testProfile } from '../support/emulator';
import { emulatorSuite } from '../support/emulatorSuite';
import { gatewayClient } from './gatewayClient';

let counter = 0;

async function post(apiAddr: string, token: string, path: string, body: unknown): Promise<{ errCode: number; data?: Record<string, unknown>; text: string }> {
  counter += 1;
  const res = await fetch(apiAddr + path, { method: 'POST', headers: { 'Content-Type': 'application/json', operationID: `own-${counter}`, token }, body: JSON.stringify(body) });
  const text = await res.text();
  return { ...(JSON.parse(text) as { errCode: number; data?: Record<string, unknown> }), text };
}

const single = (a: string, b: string): string => `si_${[a, b].sort().join('_')}`;

describe('owner conversation, sorted conversation list and user command routes', () => {
  const suite = emulatorSuite();
  const api = (): string => suite.server.apiAddress;
  const sendText = (sendID: string, recvID: string, text: string): Promise<unknown> =>
    adminPost(api(), suite.admin, '/msg/send_msg', { sendID, recvID, senderPlatformID: 1, content: { content: text }, contentType: 101, sessionType: 1 });

  it('get_owner_conversation pages the owner conversations and counts them all', async () => {
    const a = await suite.newUser('own');
    const b = await suite.newUser('own');
    const c = await suite.newUser('own');
    await sendText(a, b, 'x');
    await sendText(c, a, 'y');
    const token = await userToken(api(), suite.admin, a, WEB_PLATFORM_ID);
    const page1 = await post(api(), token, '/conversation/get_owner_conversation', { userID: a, pagination: { pageNumber: 1, showNumber: 1 } });
    expect(page1.errCode).toBe(0);
    expect(page1.data).toMatchObject({ total: 2, conversations: [{ ownerUserID: a, conversationID: single(a, b) }] });
    const page2 = await post(api(), token, '/conversation/get_owner_conversation', { userID: a, pagination: { pageNumber: 2, showNumber: 1 } });
    expect(page2.data).toMatchObject({ total: 2, conversations: [{ conversationID: single(a, c) }] });
    // no Check() and no access check; no pagination is page 0: nothing listed
    const none = await post(api(), token, '/conversation/get_owner_conversation', { userID: b });
    expect(none.text).toBe('{"errCode":0,"errMsg":"","errDlt":"","data":{"total":1,"conversations":null}}');
  });

  it('get_sorted_conversation_list sorts pinned first, newest first, with unread counts and names', async () => {
    const a = await suite.newUser('sort', { nickname: 'Alice' });
    const b = await suite.newUser('sort', { nickname: 'Bob', faceURL: 'http://b/face' });
    const c = await suite.newUser('sort', { nickname: 'Carol' });
    const token = await userToken(api(), suite.admin, a, WEB_PLATFORM_ID);
    await sendText(b, a, 'from b');
    await sendText(c, a, 'from c 1');
    await sendText(c, a, 'from c 2');
    await sendText(a, b, 'to b');
    await adminPost(api(), suite.admin, '/conversation/set_conversations', { userIDs: [a], conversation: { conversationID: single(a, c), conversationType: 1, userID: c, isPinned: true } });
    const r = await post(api(), token, '/conversation/get_sorted_conversation_list', { userID: a, pagination: { pageNumber: 1, showNumber: 10 } });
    expect(r.errCode).toBe(0);
    const data = r.data as { conversationTotal: number; unreadTotal: number; conversationElems: Array<Record<string, unknown>> };
    expect(data.conversationTotal).toBe(2);
    // c: 2 unread; b: a's own message moved a's read seq to the max seq (msgtransfer SetHasReadSeqs)
    expect(data.unreadTotal).toBe(2);
    expect(data.conversationElems.map((e) => e.conversationID)).toEqual([single(a, c), single(a, b)]);
    expect(data.conversationElems[0]).toMatchObject({ IsPinned: true, unreadCount: 2, recvMsgOpt: 0, msgInfo: { sendID: c, senderName: 'Carol', content: '{"content":"from c 2"}', contentType: 101 } });
    // a sent the last message: the peer's name and face
    expect(data.conversationElems[1]).toMatchObject({ IsPinned: false, unreadCount: 0, msgInfo: { sendID: a, recvID: b, senderName: 'Bob', faceURL: 'http://b/face' } });

    const codeOf = async (body: unknown): Promise<number> => (await post(api(), token, '/conversation/get_sorted_conversation_list', body)).errCode;
    expect(await codeOf({ pagination: { pageNumber: 1, showNumber: 10 } })).toBe(1001);
    expect(await codeOf({ userID: a })).toBe(1001);
    expect(await codeOf({ userID: a, pagination: { pageNumber: 0, showNumber: 10 } })).toBe(1001);
    const stranger = await suite.newUser('sort');
    expect(await codeOf({ userID: stranger, pagination: { pageNumber: 1, showNumber: 10 } })).toBe(1004);
  });

  it('get_sorted_conversation_list with a conversation without messages: by create time (patch.11+) or the rpc panic (500)', async () => {
    const a = await suite.newUser('empty');
    const b = await suite.newUser('empty');
    const token = await userToken(api(), suite.admin, a, WEB_PLATFORM_ID);
    await adminPost(api(), suite.admin, '/conversation/set_conversations', { userIDs: [a], conversation: { conversationID: single(a, b), conversationType: 1, userID: b, ex: 'made' } });
    const r = await post(api(), token, '/conversation/get_sorted_conversation_list', { userID: a, pagination: { pageNumber: 1, showNumber: 10 } });
    if (testProfile().sortedListWithoutMessage === 'panic') {
      expect(r.errCode).toBe(500);
      return;
    }
    expect(r.data).toEqual({ conversationTotal: 0, unreadTotal: 0, conversationElems: [{ conversationID: single(a, b), recvMsgOpt: 0, unreadCount: 0, IsPinned: false, msgInfo: null }] });
  });

  it('process_user_command_*: add, get, update, delete with their Check()s, access checks and 1305-1307 notifications', async () => {
    const userID = await suite.newUser('cmd');
    const token = await userToken(api(), suite.admin, userID, WEB_PLATFORM_ID);
    const gw = await gatewayClient(suite.server.wsAddress, userID, token);
    const call = (op: string, body: unknown) => post(api(), token, `/user/process_user_command_${op}`, body);

    expect((await call('add', { userID, type: 1, uuid: 'u1', value: 'v1' })).text).toBe('{"errCode":0,"errMsg":"","errDlt":""}');
    // ProcessUserCommandAdd puts a present ex into value and stores ex empty
    expect((await call('add', { userID, type: 2, uuid: 'u2', value: 'v2', ex: 'e2' })).errCode).toBe(0);
    const got = await call('get', { userID, type: 1 });
    expect(got.data).toEqual({ CommandResp: [{ type: 1, createTime: expect.any(Number), uuid: 'u1', value: 'v1', ex: '' }] });
    const all = await call('get_all', { userID });
    expect((all.data as { CommandResp: unknown[] }).CommandResp).toEqual([expect.objectContaining({ uuid: 'u1' }), { type: 2, createTime: expect.any(Number), uuid: 'u2', value: 'e2', ex: '' }]);

    expect((await call('update', { userID, type: 1, uuid: 'u1', ex: 'x1' })).errCode).toBe(0);
    expect((await call('get', { userID, type: 1 })).data).toMatchObject({ CommandResp: [{ value: 'v1', ex: 'x1' }] });
    expect((await call('update', { userID, type: 1, uuid: 'missing', value: 'v' })).errCode).toBe(1004);
    // an empty update returns before the lookup
    expect((await call('update', { userID, type: 1, uuid: 'missing' })).errCode).toBe(0);
    expect((await call('delete', { userID, type: 1, uuid: 'u1' })).errCode).toBe(0);
    expect((await call('delete', { userID, type: 1, uuid: 'u1' })).errCode).toBe(1004);

    expect((await call('add', { type: 1, uuid: 'u' })).errCode).toBe(1001);
    expect((await call('add', { userID, uuid: 'u' })).errCode).toBe(1001);
    expect((await call('add', { userID, type: 1 })).errCode).toBe(1001);
    expect((await call('get', { userID })).errCode).toBe(1001);
    expect((await call('get_all', {})).errCode).toBe(1001);
    const other = await suite.newUser('cmd');
    expect((await call('get_all', { userID: other })).errCode).toBe(1002);
    expect((await post(api(), suite.admin, '/user/process_user_command_get_all', { userID: other })).text).toBe('{"errCode":0,"errMsg":"","errDlt":"","data":{"CommandResp":null}}');

    // UserCommandAdd/Update/DeleteNotification from the user to the user, one per successful call
    await gw.next(() => gw.pushed().filter((m) => m.contentType === 1306).length === 1);
    gw.ws.close();
    const tips = gw.pushed().filter((m) => m.contentType >= 1305 && m.contentType <= 1307);
    expect(tips.map((m) => m.contentType)).toEqual([1305, 1305, 1307, 1307, 1306]);
    expect(tips[0]).toMatchObject({ sendID: userID, recvID: userID, sessionType: 1 });
    const detail = (JSON.parse(Buffer.from(tips[0]!.content).toString('utf8')) as { detail: string }).detail;
    expect(JSON.parse(detail)).toEqual({ fromUserID: userID, toUserID: userID });
  });
});
