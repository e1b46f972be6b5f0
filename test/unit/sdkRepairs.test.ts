/**
 * The repairs of the real client SDK 0.0.14 (core_func/upstream/sdkRepairs.ts), with its REST
 * answers under the test's control: answers that arrive late, and in the worst order.
 */
import { PbCoder } from '@openim/protocol';
import { newSdkInstance } from '../../core_func/upstream/sdkModule';
import { EMPTY_PROTOBUF_MESSAGE, repairSdk } from '../../core_func/upstream/sdkRepairs';

const CONVERSATION = 'sg_g1';
const ME = 'me';

interface Harness {
  /** GetDesignatedConversation requests not yet answered, oldest first; `answer()` sends the server's view as of the request. */
  pending: Array<{ answer(): void }>;
  push(seq: number): Promise<void>;
  /** unreadCount of every OnNewConversation / OnConversationChanged for the conversation, in order. */
  counts: number[];
  release(): void;
}

function harness(repaired: boolean): Harness {
  const sdk = newSdkInstance() as unknown as Record<string, unknown> & { on(e: string, h: (e: { data: unknown }) => void): void };
  const trigger = sdk.messageTrigger as Record<string, unknown> & {
    instance: Record<string, unknown>;
    triggerConversation(batch: unknown, op: string): Promise<void>;
    typingManager: { send: { dispose(): void }; state: { dispose(): void } };
  };
  const instance = trigger.instance;
  Object.assign(instance, { userID: ME, loginStatus: 3, apiAddr: 'http://127.0.0.1:0' });
  let stored = 0;
  const pending: Harness['pending'] = [];
  instance.sendHttpRequest = (req: { reqFuncName: string }) => {
    if (req.reqFuncName !== 'GetDesignatedConversation') return Promise.resolve({});
    const maxSeq = stored; // the server's view when it handles the request
    return new Promise((resolve) => {
      pending.push({
        answer: () =>
          resolve(
            Buffer.from(
              PbCoder.GetConversationsResp.encode({
                unreadCount: maxSeq,
                conversations: [{ conversation: { ...PbCoder.Conversation.decode(new Uint8Array()), conversationID: CONVERSATION, conversationType: 3, groupID: 'g1', ownerUserID: ME }, maxSeq, readSeq: 0 } as never],
              }).finish(),
            ).toString('base64'),
          ),
      });
    });
  };
  if (repaired) repairSdk(sdk as never, () => undefined);
  const counts: number[] = [];
  for (const event of ['OnNewConversation', 'OnConversationChanged']) {
    sdk.on(event, (e) => {
      const c = (e.data as Array<{ conversationID: string; unreadCount: number }>).find((x) => x.conversationID === CONVERSATION);
      if (c) counts.push(c.unreadCount);
    });
  }
  return {
    pending,
    counts,
    push(seq) {
      stored = Math.max(stored, seq);
      const msg = { clientMsgID: `m${seq}`, serverMsgID: `s${seq}`, sendID: 'other', recvID: '', groupID: 'g1', sessionType: 3, contentType: 101, seq, sendTime: 1000 + seq, createTime: 1000 + seq, status: 2, content: new TextEncoder().encode(JSON.stringify({ content: `n${seq}` })), options: {} };
      return trigger.triggerConversation({ [CONVERSATION]: { Msgs: [msg] } }, `op${seq}`);
    },
    release() {
      trigger.typingManager.send.dispose();
      trigger.typingManager.state.dispose();
    },
  };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('client SDK repairs', () => {
  describe('a burst of pushes to a conversation the SDK has not loaded, its loads answered late and newest first', () => {
    async function burst(repaired: boolean): Promise<number[]> {
      const h = harness(repaired);
      try {
        // The server stores all four before the client handles the first push.
        const pushes = [1, 2, 3, 4].map((seq) => h.push(seq));
        await settle();
        while (h.pending.length) {
          h.pending.pop()!.answer();
          await settle();
        }
        await Promise.all(pushes);
        await settle();
        return h.counts;
      } finally {
        h.release();
      }
    }

    it('went back without the repair (the defect this guards against)', async () => {
      const counts = await burst(false);
      expect(counts).not.toEqual([...counts].sort((a, b) => a - b));
    });

    it('counts 1, 2, 3, 4 with it: one load, then each batch in order', async () => {
      expect(await burst(true)).toEqual([1, 2, 3, 4]);
    });
  });

  it('writes an empty protobuf answer as the empty message, which decodes to its defaults', () => {
    expect(PbCoder.GetConversationsResp.decode(Buffer.from(EMPTY_PROTOBUF_MESSAGE, 'base64'))).toEqual({ unreadCount: 0, conversations: [] });
    expect(PbCoder.GetActiveConversationsResp.decode(Buffer.from(EMPTY_PROTOBUF_MESSAGE, 'base64'))).toEqual(expect.objectContaining({ conversations: [] }));
  });
});
