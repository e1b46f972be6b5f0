/**
 * Pulling a quote of a revoked message (controller/msg.go handlerQuote → handlerDBMsg, v3.8.3+):
 * the quoted message comes back as a revoke (2101) with the revoke's content, written through
 * handlerDBMsg's own structs; v3.8.0 leaves recent messages alone.
 */
import { PbCoder } from '@openim/protocol';
import type { SdkWsProto } from '@openim/protocol';
import { handlerQuote } from '../../emulator/msg/quoteRevoked';
import { adminPost, userToken } from '../support/admin';
import { WEB_PLATFORM_ID } from '../support/clientSdk';
import { testProfile } from '../support/emulator';
import { emulatorSuite } from '../support/emulatorSuite';
import { gatewayClient } from './gatewayClient';
import type { GatewayClient } from './gatewayClient';

const single = (a: string, b: string): string => `si_${[a, b].sort().join('_')}`;

describe('a quote of a revoked message, pulled', () => {
  const suite = emulatorSuite();
  const api = (): string => suite.server.apiAddress;
  const rules = testProfile().quoteRevokedRules;

  async function sendQuote(gw: GatewayClient, from: string, to: string, clientMsgID: string, quoteMessage: object): Promise<void> {
    const content = { text: 're', quoteMessage, messageEntityList: [{ type: 'x<y', offset: 0 }] };
    const msg = {
      ...PbCoder.MsgData.decode(new Uint8Array()),
      sendID: from,
      recvID: to,
      clientMsgID,
      senderPlatformID: WEB_PLATFORM_ID,
      sessionType: 1,
      msgFrom: 100,
      contentType: 114,
      content: new TextEncoder().encode(JSON.stringify(content)),
    };
    expect((await gw.request(1003, PbCoder.MsgData.encode(msg).finish())).errCode).toBe(0);
  }

  async function pull(gw: GatewayClient, userID: string, conversationID: string, seqs: number[]) {
    const reply = await gw.request(1005, PbCoder.GetSeqMessageReq.encode({ userID, conversations: [{ conversationID, seqs }] }).finish());
    return PbCoder.GetSeqMessageResp.decode(Buffer.from(reply.data!, 'base64')).msgs[conversationID]!.Msgs;
  }

  it('answers the quoted message as a revoke (v3.8.3+), unchanged in v3.8.0', async () => {
    const a = await suite.newUser('qa');
    const b = await suite.newUser('qb');
    const conversationID = single(a, b);
    const tokenA = await userToken(api(), suite.admin, a, WEB_PLATFORM_ID);
    const gwA = await gatewayClient(suite.server.wsAddress, a, tokenA);
    const gwB = await gatewayClient(suite.server.wsAddress, b, await userToken(api(), suite.admin, b, WEB_PLATFORM_ID));
    try {
      const sent = await adminPost<{ clientMsgID: string }>(api(), suite.admin, '/msg/send_msg', { sendID: a, recvID: b, senderPlatformID: 1, content: { content: 'secret' }, contentType: 101, sessionType: 1 });
      const quoted = { clientMsgID: sent.clientMsgID, seq: 1, sendID: a, contentType: 101, content: '{"content":"secret"}', textElem: { content: 'secret' } };
      await sendQuote(gwA, a, b, 'quote-1', quoted);
      // a quote of seq 0: no message to look up
      await sendQuote(gwA, a, b, 'quote-0', { ...quoted, seq: 0 });
      await adminPost(api(), tokenA, '/msg/revoke_msg', { userID: a, conversationID, seq: 1 });

      const [revoked, quote, quoteOfNothing] = await pull(gwB, b, conversationID, [1, 2, 3]);
      expect(revoked!.contentType).toBe(2101);
      const quoteContent = JSON.parse(Buffer.from(quote!.content).toString('utf8')) as { text: string; quoteMessage: Record<string, unknown>; messageEntityList: unknown };
      const zeroQuote = JSON.parse(Buffer.from(quoteOfNothing!.content).toString('utf8')) as { quoteMessage: Record<string, unknown> };
      if (rules === 'none') {
        expect(quoteContent.quoteMessage).toEqual(quoted);
        expect(zeroQuote.quoteMessage.contentType).toBe(101);
        return;
      }
      expect(Object.keys(quoteContent)).toEqual(['text', 'quoteMessage', 'messageEntityList']);
      expect(quoteContent.text).toBe('re');
      expect(quoteContent.messageEntityList).toEqual([{ type: 'x<y', offset: 0 }]);
      expect(Buffer.from(quote!.content).toString('utf8')).toContain('"type":"x\\u003cy"');
      // handlerDBMsg's MsgData: every field of its struct, textElem dropped, the revoke's content
      expect(quoteContent.quoteMessage).toMatchObject({ clientMsgID: sent.clientMsgID, seq: 1, sendID: a, contentType: 2101, recvID: '', offlinePushInfo: null, atUserIDList: null });
      expect(quoteContent.quoteMessage).not.toHaveProperty('textElem');
      expect(quoteContent.quoteMessage.content).toBe(Buffer.from(revoked!.content).toString('utf8'));
      expect(zeroQuote.quoteMessage).toMatchObject({ seq: 0, contentType: 2101, content: '{}' });
    } finally {
      gwA.ws.close();
      gwB.ws.close();
    }
  });
});

describe('handlerQuote between releases', () => {
  const json = { mapsOmitEmpty: false };
  const base = PbCoder.MsgData.decode(new Uint8Array());
  const quoteWith = (quoteMessage: object): SdkWsProto.MsgData => ({ ...base, seq: 2, contentType: 114, content: new TextEncoder().encode(JSON.stringify({ quoteMessage })) });
  const revoke = { ...base, seq: 1, contentType: 2101, content: new TextEncoder().encode('{"detail":"r"}') };
  const quotedOf = (m: SdkWsProto.MsgData): Record<string, unknown> => (JSON.parse(Buffer.from(m.content).toString('utf8')) as { quoteMessage: Record<string, unknown> }).quoteMessage;

  it('v3.8.3 leaves a quoted message with empty content alone; patch.16 rewrites it', () => {
    const msg = quoteWith({ seq: 1, contentType: 101, content: '' });
    expect(handlerQuote(msg, () => revoke, 'v3.8.3', json)).toBe(msg);
    expect(quotedOf(handlerQuote(msg, () => revoke, 'patch.16', json))).toMatchObject({ contentType: 2101, content: '{"detail":"r"}' });
  });

  it('turns a base64 "{}" (e30=) into "{}" even when the quoted message stands, and leaves undecodable quotes alone', () => {
    const text = { ...base, seq: 1, contentType: 101 };
    expect(quotedOf(handlerQuote(quoteWith({ seq: 1, contentType: 101, content: 'e30=' }), () => text, 'patch.16', json))).toMatchObject({ contentType: 101, content: '{}' });
    const badType = quoteWith({ seq: '1', contentType: 101, content: 'x' });
    expect(handlerQuote(badType, () => revoke, 'patch.16', json)).toBe(badType);
  });
});
