/** The read side of the msg rpc: max seqs, pulls by range or seq list, read seqs. */
import type { MsgProto, SdkWsProto } from '@openim/protocol';
import type { ConversationStore } from '../conversation/conversationStore';
import { PULL_MAX_SEQS } from '../config';
import { isNotificationConversation } from './conversationIds';
import type { MessageStore } from './messageStore';

type PullMsgs = SdkWsProto.PullMsgs;
type PullResult = { msgs: Record<string, PullMsgs>; notificationMsgs: Record<string, PullMsgs> };

/** sdkws.PullOrder */
const ORDER_ASC = 0;

/** conversationutil.GetNotificationConversationIDByConversationID */
function notificationIDOf(conversationID: string): string {
  const i = conversationID.indexOf('_');
  return i < 0 ? conversationID : `n_${conversationID.slice(i + 1)}`;
}

export class SyncService {
  constructor(
    private readonly messages: MessageStore,
    private readonly conversations: ConversationStore,
  ) {}

  /**
   * GetMaxSeq: the user's conversations, the notification conversation of each, and the user's
   * own notification conversation; conversations still at seq 0 are left out.
   */
  maxSeqs(userID: string): SdkWsProto.GetMaxSeqResp {
    const chat = this.conversations.list(userID).map((c) => c.conversationID);
    const ids = new Set([...chat, ...chat.map(notificationIDOf), `n_${userID}_${userID}`]);
    const maxSeqs: Record<string, number> = {};
    for (const id of ids) {
      const seq = this.messages.maxSeq(id);
      if (seq > 0) maxSeqs[id] = seq;
    }
    return { maxSeqs, minSeqs: {} };
  }

  /**
   * PullMessageBySeqs: chat ranges need the user's conversation; the range is clamped to what the
   * user may see and gives at most `num` of its newest seqs (GetMsgBySeqsRange); notification
   * ranges give every visible seq of the range (GetMsgBySeqs); empty results are left out.
   */
  pullByRanges(userID: string, ranges: SdkWsProto.SeqRange[], order: number): PullResult {
    const out: PullResult = { msgs: {}, notificationMsgs: {} };
    for (const r of ranges) {
      const id = r.conversationID;
      const notification = isNotificationConversation(id);
      if (!notification && !this.conversations.get(userID, id)) continue;
      const minSeq = Math.max(this.messages.minSeqFor(userID, id), 0);
      const maxSeq = this.messages.maxSeq(id);
      const begin = Math.max(r.begin, minSeq);
      const end = Math.min(r.end, maxSeq);
      if (minSeq > r.end || end < begin) continue;
      const first = notification || end - begin + 1 <= r.num ? begin : end - r.num + 1;
      const seqs: number[] = [];
      for (let s = Math.max(first, 1); s <= end && seqs.length < PULL_MAX_SEQS; s++) seqs.push(s);
      if (seqs.length === 0) continue;
      const isEnd = order === ORDER_ASC ? maxSeq <= r.end : r.begin <= minSeq;
      this.target(out, id)[id] = { Msgs: seqs.map((s) => this.messages.viewFor(userID, id, s)), isEnd };
    }
    return out;
  }

  /** GetSeqMessage: the listed seqs the user may see, deleted ones as placeholders. */
  pullBySeqs(userID: string, conversations: MsgProto.ConversationSeqs[]): PullResult {
    const out: PullResult = { msgs: {}, notificationMsgs: {} };
    for (const c of conversations) {
      const minSeq = this.messages.minSeqFor(userID, c.conversationID);
      const maxSeq = this.messages.maxSeq(c.conversationID);
      const seqs = [...new Set(c.seqs)].filter((s) => s > 0 && s >= minSeq && s <= maxSeq).sort((a, b) => a - b);
      const msgs = seqs.map((s) => this.messages.viewFor(userID, c.conversationID, s));
      this.target(out, c.conversationID)[c.conversationID] = { Msgs: msgs, isEnd: false };
    }
    return out;
  }

  hasReadAndMaxSeqs(userID: string, conversationIDs: string[]): Record<string, MsgProto.Seqs> {
    const ids = conversationIDs.length > 0 ? conversationIDs : this.conversations.list(userID).map((c) => c.conversationID);
    const seqs: Record<string, MsgProto.Seqs> = {};
    for (const id of ids) {
      seqs[id] = {
        maxSeq: this.messages.maxSeq(id),
        hasReadSeq: this.messages.hasReadSeq(userID, id),
        maxSeqTime: this.messages.maxSeqTime(id),
      };
    }
    return seqs;
  }

  private target(out: PullResult, conversationID: string): Record<string, PullMsgs> {
    return isNotificationConversation(conversationID) ? out.notificationMsgs : out.msgs;
  }
}
