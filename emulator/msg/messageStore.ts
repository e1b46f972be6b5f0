/**
 * Messages per conversation with their seqs, each user's read seq, and what each user may
 * still see (the real msg database's seq model: conversation min seq, user min seq, per-user
 * deletes, physical deletes).
 */
import type { SdkWsProto } from '@openim/protocol';
import { PbCoder } from '@openim/protocol';
import { MsgStatus } from './constants';

type MsgData = SdkWsProto.MsgData;

interface ConversationLog {
  msgs: Map<number, MsgData>;
  maxSeq: number;
  maxSeqTime: number;
  /** Seqs below this are gone for everyone (clear with isSyncOther). */
  minSeq: number;
  /** Seqs deleted for everyone (delete with isSyncOther). */
  physicallyDeleted: Set<number>;
}

/** What GetMessageBySeqs answers for a seq it has no message for: only seq and status. */
function deletedPlaceholder(seq: number): MsgData {
  return { ...PbCoder.MsgData.decode(new Uint8Array()), seq, status: MsgStatus.HasDeleted };
}

const nested = <V>(m: Map<string, Map<string, V>>, a: string): Map<string, V> => {
  let inner = m.get(a);
  if (!inner) {
    inner = new Map();
    m.set(a, inner);
  }
  return inner;
};

export class MessageStore {
  private readonly logs = new Map<string, ConversationLog>();
  /** userID → conversationID → hasReadSeq */
  private readonly readSeqs = new Map<string, Map<string, number>>();
  /** userID → conversationID → seqs the user deleted for itself */
  private readonly deletedFor = new Map<string, Map<string, Set<number>>>();
  /** userID → conversationID → the first seq the user may still see */
  private readonly userMinSeqs = new Map<string, Map<string, number>>();
  /** userID → conversationID → the last seq the user may see (0: no bound), set when leaving a group */
  private readonly userMaxSeqs = new Map<string, Map<string, number>>();

  /** Assigns the next seq and stores the message. */
  append(conversationID: string, msg: MsgData): MsgData {
    const log = this.log(conversationID);
    log.maxSeq += 1;
    const stored = { ...msg, seq: log.maxSeq };
    log.msgs.set(stored.seq, stored);
    log.maxSeqTime = stored.sendTime;
    return stored;
  }

  maxSeq(conversationID: string): number {
    return this.logs.get(conversationID)?.maxSeq ?? 0;
  }

  maxSeqTime(conversationID: string): number {
    return this.logs.get(conversationID)?.maxSeqTime ?? 0;
  }

  /** The first seq `userID` may see: the larger of the conversation's and the user's min seq. */
  minSeqFor(userID: string, conversationID: string): number {
    return Math.max(this.logs.get(conversationID)?.minSeq ?? 0, this.userMinSeqs.get(userID)?.get(conversationID) ?? 0);
  }

  /** seqUser.SetUserMaxSeq (SetConversationMaxSeq): 0 lifts the bound (setMemberJoinSeq). */
  setUserMaxSeq(userID: string, conversationID: string, seq: number): void {
    nested(this.userMaxSeqs, userID).set(conversationID, seq);
  }

  /** The last seq `userID` may see: the conversation's max seq, clamped to the user's max seq when set. */
  maxSeqFor(userID: string, conversationID: string): number {
    const max = this.maxSeq(conversationID);
    const userMax = this.userMaxSeqs.get(userID)?.get(conversationID) ?? 0;
    return userMax > 0 && userMax < max ? userMax : max;
  }

  get(conversationID: string, seq: number): MsgData | undefined {
    return this.logs.get(conversationID)?.msgs.get(seq);
  }

  replace(conversationID: string, msg: MsgData): void {
    this.logs.get(conversationID)?.msgs.set(msg.seq, msg);
  }

  /**
   * GetMessageBySeqs for one seq: the message; a bare deleted placeholder when it is gone from
   * the store; and for a message this user deleted for themselves, the whole message with empty
   * content and status deleted (controller/msg.go handlerDeleteAndRevoked, `DelList`).
   */
  viewFor(userID: string, conversationID: string, seq: number): MsgData {
    const log = this.logs.get(conversationID);
    const msg = log?.msgs.get(seq);
    if (!msg || log?.physicallyDeleted.has(seq)) return deletedPlaceholder(seq);
    if (this.deletedFor.get(userID)?.get(conversationID)?.has(seq)) return { ...msg, content: new Uint8Array(), status: MsgStatus.HasDeleted };
    return msg;
  }

  /** The newest message `userID` can see (within its max seq bound), or undefined. */
  lastVisible(userID: string, conversationID: string): MsgData | undefined {
    const min = Math.max(1, this.minSeqFor(userID, conversationID));
    for (let s = this.maxSeqFor(userID, conversationID); s >= min; s--) {
      const m = this.viewFor(userID, conversationID, s);
      if (m.status !== MsgStatus.HasDeleted) return m;
    }
    return undefined;
  }

  hasReadSeq(userID: string, conversationID: string): number {
    return this.readSeqs.get(userID)?.get(conversationID) ?? 0;
  }

  setHasReadSeq(userID: string, conversationID: string, seq: number): void {
    const m = nested(this.readSeqs, userID);
    if (seq > (m.get(conversationID) ?? 0)) m.set(conversationID, seq);
  }

  /** MarkSingleChatMsgsAsRead: the messages at these seqs become isRead. */
  markRead(conversationID: string, seqs: number[]): void {
    const log = this.logs.get(conversationID);
    if (!log) return;
    for (const s of seqs) {
      const m = log.msgs.get(s);
      if (m) log.msgs.set(s, { ...m, isRead: true });
    }
  }

  deleteForUser(userID: string, conversationID: string, seqs: number[]): void {
    const byConv = nested(this.deletedFor, userID);
    let set = byConv.get(conversationID);
    if (!set) {
      set = new Set();
      byConv.set(conversationID, set);
    }
    for (const s of seqs) set.add(s);
  }

  deleteForEveryone(conversationID: string, seqs: number[]): void {
    const log = this.log(conversationID);
    for (const s of seqs) log.physicallyDeleted.add(s);
  }

  /** Clear for one user: it sees nothing up to the current max seq (user min seq = max + 1). */
  clearForUser(userID: string, conversationID: string): number {
    const minSeq = this.maxSeq(conversationID) + 1;
    nested(this.userMinSeqs, userID).set(conversationID, minSeq);
    return minSeq;
  }

  /** Clear for everyone (isSyncOther): the conversation min seq moves past the current max seq. */
  clearForEveryone(conversationID: string): number {
    const log = this.log(conversationID);
    log.minSeq = log.maxSeq + 1;
    return log.minSeq;
  }

  private log(conversationID: string): ConversationLog {
    let log = this.logs.get(conversationID);
    if (!log) {
      log = { msgs: new Map(), maxSeq: 0, maxSeqTime: 0, minSeq: 0, physicallyDeleted: new Set() };
      this.logs.set(conversationID, log);
    }
    return log;
  }
}
