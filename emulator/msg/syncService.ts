/** The read side of the msg rpc: max seqs, pulls by range or seq list, read seqs. */
import type { MsgProto, SdkWsProto } from '@openim/protocol';
import type { ConversationStore } from '../conversation/conversationStore';
import { PULL_MAX_SEQS } from '../config';
import { isNotificationConversation } from './conversationIds';
import type { MessageStore } from './messageStore';
import { handlerQuote } from './quoteRevoked';
import type { QuoteRules } from './quoteRevoked';
import type { GoJsonRules } from '../http/goJson';

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
    private readonly quote: { rules: QuoteRules; json: GoJsonRules } = { rules: 'none', json: { mapsOmitEmpty: false } },
  ) {}

  /** GetMessageBySeqs for one seq: handlerDeleteAndRevoked (MessageStore.viewFor), then handlerQuote. */
  private view(userID: string, conversationID: string, seq: number): SdkWsProto.MsgData {
    const msg = this.messages.viewFor(userID, conversationID, seq);
    return handlerQuote(msg, (s) => this.messages.viewFor(userID, conversationID, s), this.quote.rules, this.quote.json);
  }

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
      // GetMsgBySeqsRange: the conversation's MaxSeq (set on leaving a group) clamps the range.
      const maxSeq = notification ? this.messages.maxSeq(id) : this.messages.maxSeqFor(userID, id);
      const begin = Math.max(r.begin, minSeq);
      const end = Math.min(r.end, maxSeq);
      if (minSeq > r.end || end < begin) continue;
      const first = notification || end - begin + 1 <= r.num ? begin : end - r.num + 1;
      const seqs: number[] = [];
      for (let s = Math.max(first, 1); s <= end && seqs.length < PULL_MAX_SEQS; s++) seqs.push(s);
      if (seqs.length === 0) continue;
      const isEnd = order === ORDER_ASC ? maxSeq <= r.end : r.begin <= minSeq;
      this.target(out, id)[id] = { Msgs: seqs.map((s) => this.view(userID, id, s)), isEnd };
    }
    return out;
  }

  /**
   * GetSeqMessage → GetMessagesBySeqWithBounds: the listed seqs within the user's [min, max]
   * (max clamped by the user's max seq), deleted ones as placeholders; a seq below the min in a
   * descending pull, or above the max in an ascending one, sets isEnd (and endSeq, which the
   * @openim/protocol codec the client SDK 0.0.14 speaks has no field for, as it has no `order`:
   * the request decodes as the default ascending order).
   */
  pullBySeqs(userID: string, conversations: MsgProto.ConversationSeqs[], order = ORDER_ASC): PullResult {
    const out: PullResult = { msgs: {}, notificationMsgs: {} };
    for (const c of conversations) {
      const minSeq = this.messages.minSeqFor(userID, c.conversationID);
      const maxSeq = this.messages.maxSeqFor(userID, c.conversationID);
      let isEnd = false;
      const seqs: number[] = [];
      for (const s of c.seqs) {
        if (s <= 0) continue;
        if (s >= minSeq && s <= maxSeq) seqs.push(s);
        else if ((s < minSeq && order !== ORDER_ASC) || (s > maxSeq && order === ORDER_ASC)) isEnd = true;
      }
      const msgs = [...new Set(seqs)].sort((a, b) => a - b).map((s) => this.view(userID, c.conversationID, s));
      this.target(out, c.conversationID)[c.conversationID] = { Msgs: msgs, isEnd };
    }
    return out;
  }

  hasReadAndMaxSeqs(userID: string, conversationIDs: string[]): Record<string, MsgProto.Seqs> {
    const ids = conversationIDs.length > 0 ? conversationIDs : this.conversations.list(userID).map((c) => c.conversationID);
    const seqs: Record<string, MsgProto.Seqs> = {};
    for (const id of ids) {
      // GetConversationsHasReadAndMaxSeq: the conversation's MaxSeq, when set, replaces the max seq.
      seqs[id] = {
        maxSeq: this.messages.maxSeqFor(userID, id),
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
