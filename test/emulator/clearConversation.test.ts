/**
 * /msg/clear_conversation_msg as internal/rpc/msg/delete.go clearConversation does it: the
 * conversations come from every owner's record, so the tips repeat per record; clearing for
 * oneself runs SetConversationMinSeq (record min_seq + ConversationChangeNotification) from v3.8.3.
 */
import type { SdkWsProto } from '@openim/protocol';
import { adminPost, userToken } from '../support/admin';
import { WEB_PLATFORM_ID } from '../support/clientSdk';
import { testProfile } from '../support/emulator';
import { emulatorSuite } from '../support/emulatorSuite';
import { gatewayClient } from './gatewayClient';
import type { GatewayClient } from './gatewayClient';

const CLEAR_CONVERSATION = 1703;
const CONVERSATION_CHANGED = 1300;
const single = (a: string, b: string): string => `si_${[a, b].sort().join('_')}`;

function detailOf(m: SdkWsProto.MsgData): Record<string, unknown> {
  return JSON.parse((JSON.parse(Buffer.from(m.content).toString('utf8')) as { detail: string }).detail) as Record<string, unknown>;
}

describe('clearing a conversation', () => {
  const suite = emulatorSuite();
  const api = (): string => suite.server.apiAddress;
  const sendText = (sendID: string, recvID: string, text: string): Promise<unknown> =>
    adminPost(api(), suite.admin, '/msg/send_msg', { sendID, recvID, senderPlatformID: 1, content: { content: text }, contentType: 101, sessionType: 1 });
  /** A text message as the last push, so that everything before it has arrived. */
  async function sentinel(gw: GatewayClient, from: string, to: string, text: string): Promise<void> {
    await sendText(from, to, text);
    await gw.next(() => gw.pushed().some((m) => Buffer.from(m.content).toString('utf8').includes(text)));
  }

  it('for oneself: one tip naming the conversation once per owner record, and SetConversationMinSeq from v3.8.3', async () => {
    const a = await suite.newUser('cla');
    const b = await suite.newUser('clb');
    const conversationID = single(a, b);
    await sendText(a, b, 'one');
    await sendText(b, a, 'two');
    const token = await userToken(api(), suite.admin, a, WEB_PLATFORM_ID);
    const gw = await gatewayClient(suite.server.wsAddress, a, token);
    try {
      await adminPost(api(), token, '/msg/clear_conversation_msg', { userID: a, conversationIDs: [conversationID], deleteSyncOpt: { isSyncSelf: true, isSyncOther: false } });
      await sentinel(gw, b, a, 'after-clear');
      const tips = gw.pushed().filter((m) => m.contentType === CLEAR_CONVERSATION);
      expect(tips.map(detailOf)).toEqual([{ userID: a, conversationIDs: [conversationID, conversationID] }]);
      const changes = gw.pushed().filter((m) => m.contentType === CONVERSATION_CHANGED && (detailOf(m).conversationIDList as string[]).includes(conversationID));
      const record = await adminPost<{ conversation: { minSeq: number } }>(api(), suite.admin, '/conversation/get_conversation', { ownerUserID: a, conversationID });
      if (testProfile().clearSetsConversationMinSeq) {
        expect(changes).toHaveLength(1);
        expect(record.conversation.minSeq).toBe(3);
      } else {
        expect(changes).toHaveLength(0);
        expect(record.conversation.minSeq).toBe(0);
      }
    } finally {
      gw.ws.close();
    }
  });

  it('for everyone: one tip to the other side per owner record, and no 1300', async () => {
    const a = await suite.newUser('coa');
    const b = await suite.newUser('cob');
    const conversationID = single(a, b);
    await sendText(a, b, 'one');
    const token = await userToken(api(), suite.admin, a, WEB_PLATFORM_ID);
    const gwB = await gatewayClient(suite.server.wsAddress, b, await userToken(api(), suite.admin, b, WEB_PLATFORM_ID));
    try {
      await adminPost(api(), token, '/msg/clear_conversation_msg', { userID: a, conversationIDs: [conversationID], deleteSyncOpt: { isSyncSelf: true, isSyncOther: true } });
      await sentinel(gwB, a, b, 'after-clear');
      const tips = gwB.pushed().filter((m) => m.contentType === CLEAR_CONVERSATION);
      expect(tips).toHaveLength(2);
      for (const t of tips) {
        expect(t).toMatchObject({ sendID: a, recvID: b, sessionType: 1 });
        expect(detailOf(t)).toEqual({ userID: a, conversationIDs: [conversationID] });
      }
      expect(gwB.pushed().filter((m) => m.contentType === CONVERSATION_CHANGED)).toHaveLength(0);
    } finally {
      gwB.ws.close();
    }
  });
});
