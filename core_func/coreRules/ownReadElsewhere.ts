/**
 * Rule: what the user read on another device is read here too. openim-sdk-core v3.5.1
 * (read_drawing.go doReadDrawing → doUnreadCount) handles a HasReadReceipt notification of the
 * user's own reads by lowering the conversation's unread count by the newly read seqs (single
 * chat) or to 0 (groups), moving its read position, and announcing the conversation and the
 * total; @openim/client-sdk 0.0.14 ignores it. A receipt of this session's own read changes
 * nothing (its read position is there already).
 */
import type { MessageState } from '../upstream/clientSdk';

/** The tips of OpenIM's HasReadReceipt notification (MarkAsReadTips; core_func/coreRules/peerReadReceipt.ts reads them). */
export interface MarkAsReadTips {
  conversationID?: string;
  markAsReadUserID?: string;
  hasReadSeq?: number;
  seqs?: number[];
}

export async function ownReadElsewhere(tips: MarkAsReadTips, operationID: string, state: MessageState): Promise<void> {
  const conversationID = tips.conversationID!;
  const seqs = state.readSeqs(conversationID);
  const conversation = state.cachedConversation(conversationID);
  const read = tips.hasReadSeq ?? 0;
  if (!seqs || !conversation || read <= seqs.hasReadSeq) return;
  const unread = conversation.unreadCount ?? 0;
  const single = conversationID.startsWith('si_');
  const left = single ? Math.max(0, unread - (read - seqs.hasReadSeq)) : 0;
  state.setHasReadSeq(conversationID, read);
  if (left !== unread) await state.changeConversation(conversationID, { unreadCount: left }, operationID);
}
