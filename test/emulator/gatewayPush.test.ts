/**
 * Whom the gateway pushes to, as the real push path decides: hub_server.go pushToUser skips a
 * background iOS connection, client.go ResetClient ignores the handshake's isBackground, and
 * push_handler.go Push2Group pushes a group message to every member whatever senderSync says.
 */
import { PbCoder } from '@openim/protocol';
import type { SdkWsProto } from '@openim/protocol';
import { adminPost, userToken } from '../support/admin';
import { WEB_PLATFORM_ID } from '../support/clientSdk';
import { emulatorSuite } from '../support/emulatorSuite';
import { gatewayClient } from './gatewayClient';
import type { GatewayClient } from './gatewayClient';

const IOS_PLATFORM_ID = 1;
const textOf = (m: SdkWsProto.MsgData): string => Buffer.from(m.content).toString('utf8');

/** sdkws.SetAppBackgroundStatusReq {userID = 1, isBackground = 2}. */
function backgroundReq(userID: string, isBackground: boolean): Uint8Array {
  const id = Buffer.from(userID, 'utf8');
  return Uint8Array.from([0x0a, id.length, ...id, 0x10, isBackground ? 1 : 0]);
}

describe('gateway push rules', () => {
  const suite = emulatorSuite();
  const api = (): string => suite.server.apiAddress;
  const sendText = (sendID: string, recvID: string, text: string): Promise<unknown> =>
    adminPost(api(), suite.admin, '/msg/send_msg', { sendID, recvID, senderPlatformID: 1, content: { content: text }, contentType: 101, sessionType: 1 });
  const hasText = (gw: GatewayClient, text: string) => (): boolean => gw.pushed().some((m) => textOf(m).includes(text));

  it('ignores the handshake isBackground, and skips an iOS connection only while SetBackgroundStatus says background', async () => {
    const a = await suite.newUser('bga');
    const b = await suite.newUser('bgb');
    const ios = await gatewayClient(suite.server.wsAddress, b, await userToken(api(), suite.admin, b, IOS_PLATFORM_ID), { platformID: IOS_PLATFORM_ID, isBackground: true });
    const web = await gatewayClient(suite.server.wsAddress, b, await userToken(api(), suite.admin, b, WEB_PLATFORM_ID));
    try {
      await sendText(a, b, 'first');
      await ios.next(hasText(ios, 'first'));

      expect((await ios.request(2004, backgroundReq(b, true))).errCode).toBe(0);
      expect((await web.request(2004, backgroundReq(b, true))).errCode).toBe(0);
      await sendText(a, b, 'second');
      // a background web connection is still pushed to
      await web.next(hasText(web, 'second'));
      expect((await ios.request(2004, backgroundReq(b, false))).errCode).toBe(0);
      await sendText(a, b, 'third');
      await ios.next(hasText(ios, 'third'));
      // one socket delivers in order: had "second" been pushed, it would be here before "third"
      expect(ios.pushed().map(textOf).filter((t) => /first|second|third/.test(t))).toEqual([expect.stringContaining('first'), expect.stringContaining('third')]);
    } finally {
      ios.ws.close();
      web.ws.close();
    }
  });

  it('pushes a group typing notice to the sender too (Push2Group), a single one only to the receiver', async () => {
    const a = await suite.newUser('tya');
    const b = await suite.newUser('tyb');
    const tokenA = await userToken(api(), suite.admin, a, WEB_PLATFORM_ID);
    const created = await adminPost<{ groupInfo: { groupID: string } }>(api(), tokenA, '/group/create_group', { ownerUserID: a, memberUserIDs: [b], groupInfo: { groupName: 't', groupType: 2 } });
    const groupID = created.groupInfo.groupID;
    const gwA = await gatewayClient(suite.server.wsAddress, a, tokenA);
    const gwB = await gatewayClient(suite.server.wsAddress, b, await userToken(api(), suite.admin, b, WEB_PLATFORM_ID));
    const typing = (fields: { sessionType: number; recvID: string; groupID: string }, tip: string): Uint8Array =>
      PbCoder.MsgData.encode({
        ...PbCoder.MsgData.decode(new Uint8Array()),
        sendID: a,
        clientMsgID: `typing-${tip}`,
        senderPlatformID: WEB_PLATFORM_ID,
        contentType: 113,
        msgFrom: 100,
        content: new TextEncoder().encode(JSON.stringify({ msgTips: tip })),
        ...fields,
      }).finish();
    try {
      expect((await gwA.request(1003, typing({ sessionType: 1, recvID: b, groupID: '' }, 'single'))).errCode).toBe(0);
      expect((await gwA.request(1003, typing({ sessionType: 3, recvID: '', groupID }, 'group'))).errCode).toBe(0);
      await gwB.next(hasText(gwB, 'group'));
      await gwA.next(hasText(gwA, 'group'));
      expect(gwB.pushed().filter((m) => m.contentType === 113).map(textOf)).toEqual([expect.stringContaining('single'), expect.stringContaining('group')]);
      // the single typing notice (senderSync off) was never pushed back to its sender
      expect(gwA.pushed().filter((m) => m.contentType === 113).map(textOf)).toEqual([expect.stringContaining('group')]);
    } finally {
      gwA.ws.close();
      gwB.ws.close();
    }
  });
});
