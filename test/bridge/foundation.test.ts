/**
 * The foundation, end to end: the real open-im-sdk 3.5.2 client → bridge → OpenIM server.
 */
import type { MessageItem, SelfUserInfo } from 'open-im-sdk';
import { bridgeSuite } from '../support/bridge';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';

const suite = bridgeSuite();


async function loggedIn(userID: string): Promise<JssdkClient> {
  const c = suite.track(createJssdk(userID));
  await jssdkLogin(c, { token: await suite.fx.tokenFor(userID), wsAddr: suite.fx.bridge.wsAddress, apiAddr: suite.fx.server.apiAddress });
  return c;
}

describe('Login and a first message', () => {
  it('lets A send B a text that B receives, with conversations and unread counts', async () => {
    const [a, b] = await suite.fx.newUsers('fa', 2);
    const ca = await loggedIn(a!);
    const cb = await loggedIn(b!);

    expect((await ca.sdk.getLoginStatus()).data).toBe(3);
    expect((await ca.sdk.getLoginUserID()).data).toBe(a);
    const self = (await ca.sdk.getSelfUserInfo()).data as SelfUserInfo;
    expect(self).toMatchObject({ userID: a, nickname: `nick ${a}` });

    await cb.events.waitFor('OnSyncServerFinish');
    const markA = ca.events.mark();
    const markB = cb.events.mark();
    const created = (await ca.sdk.createTextMessage('hello through the bridge')).data as MessageItem;
    expect(created.textElem).toEqual({ content: 'hello through the bridge' });
    expect(created.pictureElem).toBeNull(); // every elem the jssdk declares is present
    const sent = (await ca.sdk.sendMessage({ recvID: b!, groupID: '', message: created })).data as MessageItem;
    expect(sent).toMatchObject({ clientMsgID: created.clientMsgID, sendID: a, recvID: b, status: 2 });
    expect(sent.serverMsgID).not.toBe('');

    const recv = await cb.events.waitFor('OnRecvNewMessages', undefined, undefined, markB);
    const messages = recv.data as MessageItem[];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ clientMsgID: created.clientMsgID, sendID: a, recvID: b, contentType: 101 });
    expect(messages[0]!.textElem.content).toBe('hello through the bridge');

    const convB = await cb.events.waitForAnyOf(['OnConversationChanged', 'OnNewConversation'], undefined, markB);
    expect(JSON.stringify(convB.data)).toContain(a!);
    const convA = await ca.events.waitFor('OnConversationChanged', undefined, undefined, markA);
    expect(JSON.stringify(convA.data)).toContain(b!);
    await cb.events.waitFor('OnTotalUnreadMessageCountChanged', (e) => e.data === 1, undefined, markB);
    expect((await cb.sdk.getTotalUnreadMsgCount()).data).toBe(1);

    const list = (await cb.sdk.getAllConversationList()).data as { userID: string; unreadCount: number; isNotInGroup: boolean }[];
    const conv = list.find((c) => c.userID === a);
    expect(conv).toMatchObject({ unreadCount: 1, isNotInGroup: false });
  });

  it('logs out: Logout resolves, the socket closes and the upstream session is released', async () => {
    const [u] = await suite.fx.newUsers('fl', 1);
    const c = await loggedIn(u!);
    expect(suite.fx.bridge.sessionCount()).toBeGreaterThanOrEqual(1);
    const before = suite.fx.bridge.sessionCount();
    const res = await c.sdk.logout();
    expect(res.errCode).toBe(0);
    const ws = (c.sdk as unknown as { wsManager?: unknown }).wsManager;
    expect(ws).toBeUndefined(); // the jssdk dropped its socket on the Logout answer
    expect(suite.fx.bridge.sessionCount()).toBe(before - 1);
    await expect(c.sdk.getSelfUserInfo()).rejects.toMatchObject({ errCode: 10004 });
  });
});
