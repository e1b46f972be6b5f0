import { CbEvents } from '@openim/client-sdk';
import type { MessageItem } from '@openim/client-sdk';
import { adminPost, OpenIMApiError, registerUsers, uniqueUserID } from '../support/admin';
import { emulatorSuite } from '../support/emulatorSuite';

describe('who may send where', () => {
  const suite = emulatorSuite();
  const { login } = suite;

  const messagesOf = (data: unknown): MessageItem[] => data as MessageItem[];

  it('refuses a single-chat message to a user who blocked the sender with BlockedByPeer (1302)', async () => {
    const a = await login('blocked');
    const b = await login('blocker');
    await b.sdk.addBlack({ toUserID: a.userID });
    const text = await a.sdk.createTextMessage('let me in');
    await expect(a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: text.data })).rejects.toEqual(expect.objectContaining({ errCode: 1302 }));
    // the other direction still works
    const back = await b.sdk.createTextMessage('no');
    await b.sdk.sendMessage({ recvID: a.userID, groupID: '', message: back.data });
    await a.events.waitFor(CbEvents.OnRecvNewMessages, (e) => messagesOf(e.data).some((m) => m.clientMsgID === back.data.clientMsgID));
  });

  it('fans a group message out to the members and refuses non-members (1203)', async () => {
    const owner = await login('owner');
    const member = await login('member');
    const outsider = uniqueUserID('outsider');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID: outsider }]);
    const group = await owner.sdk.createGroup({ memberUserIDs: [member.userID], groupInfo: { groupName: 'room', groupType: 2 } });
    const groupID = group.data.groupID;
    expect(groupID).not.toBe('');

    const text = await member.sdk.createTextMessage('hello room');
    await member.sdk.sendMessage({ recvID: '', groupID, message: text.data });
    const got = await owner.events.waitFor(CbEvents.OnRecvNewMessages, (e) => messagesOf(e.data).some((m) => m.clientMsgID === text.data.clientMsgID));
    const msg = messagesOf(got.data).find((m) => m.clientMsgID === text.data.clientMsgID);
    expect(msg?.groupID).toBe(groupID);
    expect(msg?.textElem?.content).toBe('hello room');

    const refused = adminPost(suite.server.apiAddress, suite.admin, '/msg/send_msg', {
      sendID: outsider, groupID, senderPlatformID: 5, content: { content: 'x' }, contentType: 101, sessionType: 3,
    });
    await expect(refused).rejects.toBeInstanceOf(OpenIMApiError);
    await expect(refused).rejects.toEqual(expect.objectContaining({ errCode: 1203 }));
  });
});
