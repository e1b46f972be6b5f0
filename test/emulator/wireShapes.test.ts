/**
 * What a real v3.8 server writes and checks, byte for byte where it matters: every field with its
 * zero value, nil lists as null, no `data` for field-less replies (apiresp.ApiResponse), the
 * protocol's Check() argument errors, and no access checks where the real rpc has none.
 */
import { PbCoder } from '@openim/protocol';
import type { SdkWsProto } from '@openim/protocol';
import WebSocket from 'ws';
import { adminPost, adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { WEB_PLATFORM_ID } from '../support/clientSdk';
import { startTestServer, testProfile, usingEmulator } from '../support/emulator';
import { emulatorSuite } from '../support/emulatorSuite';
import { gatewayClient } from './gatewayClient';

type MsgData = SdkWsProto.MsgData;

let counter = 0;

/** The raw reply text of a REST call. */
async function rawPost(apiAddr: string, token: string, path: string, body: unknown): Promise<string> {
  counter += 1;
  const res = await fetch(apiAddr + path, { method: 'POST', headers: { 'Content-Type': 'application/json', operationID: `wire-${counter}`, token }, body: JSON.stringify(body) });
  return res.text();
}

const single = (a: string, b: string): string => `si_${[a, b].sort().join('_')}`;

describe('wire shapes of a real v3.8 server', () => {
  const suite = emulatorSuite();
  const api = (): string => suite.server.apiAddress;

  it('writes every field of a user, zero values included (protocol tags carry no omitempty)', async () => {
    const userID = uniqueUserID('zero');
    await registerUsers(api(), suite.admin, [{ userID }]);
    const text = await rawPost(api(), suite.admin, '/user/get_users_info', { userIDs: [userID] });
    const createTime = (JSON.parse(text) as { data: { usersInfo: Array<{ createTime: number }> } }).data.usersInfo[0]!.createTime;
    expect(text).toBe(
      `{"errCode":0,"errMsg":"","errDlt":"","data":{"usersInfo":[{"userID":"${userID}","nickname":"${userID}","faceURL":"","ex":"","createTime":${createTime},"appMangerLevel":0,"globalRecvMsgOpt":0}]}}`,
    );
  });

  it('writes a default group with all its fields, and nil lists as null', async () => {
    const owner = await suite.newUser('go');
    const created = await adminPost<{ groupInfo: { groupID: string } }>(api(), suite.admin, '/group/create_group', { ownerUserID: owner, groupInfo: { groupName: 'g', groupType: 2 } });
    const text = await rawPost(api(), suite.admin, '/group/get_groups_info', { groupIDs: [created.groupInfo.groupID] });
    const group = (JSON.parse(text) as { data: { groupInfos: Array<Record<string, unknown>> } }).data.groupInfos[0]!;
    expect(group).toEqual({
      groupID: created.groupInfo.groupID,
      groupName: 'g',
      notification: '',
      introduction: '',
      faceURL: '',
      ownerUserID: owner,
      createTime: expect.any(Number),
      memberCount: 1,
      ex: '',
      status: 0,
      creatorUserID: expect.any(String),
      groupType: 2,
      needVerification: 0,
      lookMemberInfo: 0,
      applyMemberFriend: 0,
      notificationUpdateTime: 0,
      notificationUserID: '',
    });
    const none = await rawPost(api(), suite.admin, '/friend/get_friend_list', { userID: owner, pagination: { pageNumber: 1, showNumber: 10 } });
    expect(none).toBe('{"errCode":0,"errMsg":"","errDlt":"","data":{"friendsInfo":null,"total":0}}');
  });

  it('leaves data out of a reply whose struct has no fields (isAllFieldsPrivate)', async () => {
    const userID = await suite.newUser('nodata');
    const token = await userToken(api(), suite.admin, userID, WEB_PLATFORM_ID);
    expect(await rawPost(api(), token, '/user/update_user_info_ex', { userInfo: { userID, nickname: 'n' } })).toBe('{"errCode":0,"errMsg":"","errDlt":""}');
    expect(await rawPost(api(), token, '/msg/clear_conversation_msg', { userID, conversationIDs: [], deleteSyncOpt: {} })).toBe('{"errCode":0,"errMsg":"","errDlt":""}');
    expect(await rawPost(api(), token, '/conversation/set_conversations', { userIDs: [userID], conversation: { conversationID: 'si_x_y', conversationType: 1, userID: 'x', isPinned: true } })).toBe(
      '{"errCode":0,"errMsg":"","errDlt":""}',
    );
  });

  it('writes the maps of the profile protocol release: minSeqs null (v0.0.72+) or left out (v0.0.69)', async () => {
    const a = await suite.newUser('map');
    const text = await rawPost(api(), suite.admin, '/msg/newest_seq', { userID: a });
    // GetMaxSeqResp has exported fields, so data stays even when both maps are left out
    const data = testProfile().mapsOmitEmpty ? '{}' : '{"maxSeqs":{},"minSeqs":null}';
    expect(text).toBe(`{"errCode":0,"errMsg":"","errDlt":"","data":${data}}`);
  });

  it("refuses what the protocol's Check() refuses, with ArgsError (1001)", async () => {
    const a = await suite.newUser('chk');
    const b = await suite.newUser('chk');
    await adminPost(api(), suite.admin, '/msg/send_msg', { sendID: a, recvID: b, senderPlatformID: 1, content: { content: 'x' }, contentType: 101, sessionType: 1 });
    const conversationID = single(a, b);
    const token = await userToken(api(), suite.admin, a, WEB_PLATFORM_ID);
    const codeOf = async (path: string, body: unknown): Promise<number> => (JSON.parse(await rawPost(api(), token, path, body)) as { errCode: number }).errCode;
    expect(await codeOf('/msg/revoke_msg', { userID: a, conversationID, seq: 0 })).toBe(1001);
    expect(await codeOf('/msg/mark_conversation_as_read', { userID: a, conversationID, hasReadSeq: 0 })).toBe(1001);
    expect(await codeOf('/msg/mark_conversation_as_read', { userID: a, conversationID, hasReadSeq: 1, seqs: [0] })).toBe(1001);
    expect(await codeOf('/msg/delete_msgs', { userID: a, conversationID })).toBe(1001);
    expect(await codeOf('/msg/delete_msgs', { userID: a, conversationID, seqs: [] })).toBe(0);
    expect(await codeOf('/msg/clear_conversation_msg', { userID: a })).toBe(1001);
  });

  it('checks no access where the conversation and user rpcs check none', async () => {
    const a = await suite.newUser('acc');
    const b = await suite.newUser('acc');
    await adminPost(api(), suite.admin, '/msg/send_msg', { sendID: a, recvID: b, senderPlatformID: 1, content: { content: 'x' }, contentType: 101, sessionType: 1 });
    const tokenA = await userToken(api(), suite.admin, a, WEB_PLATFORM_ID);
    const theirs = await adminPost<{ conversations: Array<{ ownerUserID: string }> }>(api(), tokenA, '/conversation/get_all_conversations', { ownerUserID: b });
    expect(theirs.conversations.map((c) => c.ownerUserID)).toEqual([b]);
    await adminPost(api(), tokenA, '/user/set_global_msg_recv_opt', { userID: b, globalRecvMsgOpt: 2 });
    const info = await adminPost<{ usersInfo: Array<{ globalRecvMsgOpt: number }> }>(api(), suite.admin, '/user/get_users_info', { userIDs: [b] });
    expect(info.usersInfo[0]!.globalRecvMsgOpt).toBe(2);
  });

  it('ignores minSeq and maxSeq in set_conversations (setConversationFieldsFunc never reads them)', async () => {
    const a = await suite.newUser('seq');
    const b = await suite.newUser('seq');
    await adminPost(api(), suite.admin, '/msg/send_msg', { sendID: a, recvID: b, senderPlatformID: 1, content: { content: 'x' }, contentType: 101, sessionType: 1 });
    const conversationID = single(a, b);
    await adminPost(api(), suite.admin, '/conversation/set_conversations', { userIDs: [a], conversation: { conversationID, conversationType: 1, userID: b, minSeq: 5, maxSeq: 7, ex: 'e' } });
    const c = await adminPost<{ conversation: { minSeq: number; maxSeq: number; ex: string } }>(api(), suite.admin, '/conversation/get_conversation', { ownerUserID: a, conversationID });
    expect(c.conversation).toMatchObject({ minSeq: 0, maxSeq: 0, ex: 'e' });
  });

  it('answers a WS send with empty content, or a notification session with a chat content type, with ArgsError', async () => {
    const userID = uniqueUserID('ws');
    await registerUsers(api(), suite.admin, [{ userID }]);
    const token = await userToken(api(), suite.admin, userID, WEB_PLATFORM_ID);
    const ws = new WebSocket(`${suite.server.wsAddress}/?sendID=${userID}&token=${token}&platformID=${WEB_PLATFORM_ID}&operationID=w&isBackground=false&isMsgResp=true`);
    type Reply = { errCode: number; msgIncr?: string };
    /** The next frame with that msgIncr (pushes of the message itself may come first). */
    const nextReply = (msgIncr?: string): Promise<Reply> =>
      new Promise((resolve) => {
        const onFrame = (d: WebSocket.RawData): void => {
          const r = JSON.parse(String(d)) as Reply;
          if (msgIncr !== undefined && r.msgIncr !== msgIncr) return;
          ws.off('message', onFrame);
          resolve(r);
        };
        ws.on('message', onFrame);
      });
    await nextReply();
    const send = async (msgIncr: string, fields: { content: Uint8Array; sessionType: number; contentType: number }): Promise<number> => {
      const msg = { ...PbCoder.MsgData.decode(new Uint8Array()), sendID: userID, recvID: userID, clientMsgID: `c${msgIncr}`, ...fields };
      const reply = nextReply(msgIncr);
      // requests are binary frames; a text frame is the gateway's JSON heartbeat channel
      ws.send(Buffer.from(JSON.stringify({ reqIdentifier: 1003, sendID: userID, operationID: `o${msgIncr}`, msgIncr, data: Buffer.from(PbCoder.MsgData.encode(msg).finish()).toString('base64') })));
      return (await reply).errCode;
    };
    try {
      expect(await send('1', { content: new Uint8Array(), sessionType: 1, contentType: 101 })).toBe(1001);
      expect(await send('2', { content: new TextEncoder().encode('{"content":"x"}'), sessionType: 4, contentType: 101 })).toBe(testProfile().msgDataCheck === 'v3.8.0' ? 0 : 1001);
    } finally {
      ws.close();
    }
  });

  // a server of its own with a short read deadline: only an emulator can be started so
  (usingEmulator() ? it : it.skip)('keeps the read deadline where it is on pong and ping frames (pongHandler does nothing)', async () => {
    const server = await startTestServer({ wsReadTimeoutMs: 300, wsPingPeriodMs: 50 });
    try {
      const admin = await adminToken(server.apiAddress, server.secret);
      const userID = uniqueUserID('pong');
      await registerUsers(server.apiAddress, admin, [{ userID }]);
      const token = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
      const ws = new WebSocket(`${server.wsAddress}/?sendID=${userID}&token=${token}&platformID=${WEB_PLATFORM_ID}&operationID=p&isBackground=false&isMsgResp=true`);
      // ws answers every server ping with a pong, and this client pings back on each one
      ws.on('ping', () => ws.ping());
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      await new Promise((resolve) => ws.once('message', resolve));
      await closed;
      expect(server.emulator?.stats.connectionsOf(userID)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('builds notifications as NotificationSender.send: recvID = groupID, sender name only WithRpcGetUserName, offlinePushInfo set', async () => {
    const owner = await suite.newUser('nowner');
    const member = await suite.newUser('nmember');
    const ownerToken = await userToken(api(), suite.admin, owner, WEB_PLATFORM_ID);
    const gw = await gatewayClient(suite.server.wsAddress, member, await userToken(api(), suite.admin, member, WEB_PLATFORM_ID));
    try {
      const created = await adminPost<{ groupInfo: { groupID: string } }>(api(), ownerToken, '/group/create_group', { ownerUserID: owner, memberUserIDs: [member], groupInfo: { groupName: 'n', groupType: 2 } });
      const groupID = created.groupInfo.groupID;
      // set_group_info exists in every profile (set_group_info_ex not in v3.8.0)
      await adminPost(api(), ownerToken, '/group/set_group_info', { groupInfoForSet: { groupID, groupName: 'renamed', introduction: 'i' } });
      await adminPost(api(), ownerToken, '/group/set_group_info', { groupInfoForSet: { groupID, notification: 'hello' } });
      await gw.next(() => gw.pushed().some((m) => m.contentType === 1519));
      const byType = (t: number): MsgData => gw.pushed().find((m) => m.contentType === t)!;
      expect(byType(1501)).toMatchObject({ sendID: owner, recvID: groupID, groupID, senderNickname: '', senderFaceURL: '' });
      expect(byType(1501).offlinePushInfo).toEqual(expect.objectContaining({ title: '', desc: '' }));
      expect(byType(1520)).toMatchObject({ recvID: groupID, senderNickname: '' });
      expect(byType(1519)).toMatchObject({ sendID: owner, recvID: groupID, senderNickname: 'nowner' });
    } finally {
      gw.ws.close();
    }
  });

  it('pulls a message deleted for oneself as the whole message, content empty, status 4 (handlerDeleteAndRevoked)', async () => {
    const a = await suite.newUser('pa');
    const b = await suite.newUser('pb');
    await adminPost(api(), suite.admin, '/msg/send_msg', { sendID: a, recvID: b, senderPlatformID: 1, content: { content: 'gone' }, contentType: 101, sessionType: 1 });
    const conversationID = single(a, b);
    const tokenB = await userToken(api(), suite.admin, b, WEB_PLATFORM_ID);
    await adminPost(api(), tokenB, '/msg/delete_msgs', { userID: b, conversationID, seqs: [1] });
    const gw = await gatewayClient(suite.server.wsAddress, b, tokenB);
    try {
      const reply = await gw.request(1005, PbCoder.GetSeqMessageReq.encode({ userID: b, conversations: [{ conversationID, seqs: [1] }] }).finish());
      const pulled = PbCoder.GetSeqMessageResp.decode(Buffer.from(reply.data!, 'base64')).msgs[conversationID]!.Msgs[0]!;
      expect(pulled).toMatchObject({ seq: 1, status: 4, sendID: a, recvID: b, contentType: 101, sessionType: 1 });
      expect(pulled.clientMsgID).not.toBe('');
      expect(pulled.content).toHaveLength(0);
    } finally {
      gw.ws.close();
    }
  });

  it('answers a logout (2003) with data "" (an empty marshalled DelUserPushTokenResp), then closes', async () => {
    const userID = await suite.newUser('out');
    const gw = await gatewayClient(suite.server.wsAddress, userID, await userToken(api(), suite.admin, userID, WEB_PLATFORM_ID));
    const closed = new Promise<void>((resolve) => gw.ws.once('close', () => resolve()));
    const reply = await gw.request(2003, new Uint8Array());
    expect(reply).toMatchObject({ errCode: 0, data: '' });
    await closed;
  });
});
