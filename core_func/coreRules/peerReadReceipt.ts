/**
 * Rule: the peer's read receipt only marks messages read. openim-sdk-core v3.5.1
 * (read_drawing.go doReadDrawing) handles a HasReadReceipt notification from the other user by
 * setting isRead (and hasReadTime) on the messages it names, updating the conversation's
 * latestMsg when it is one of them, and firing OnRecvC2CReadReceipt; the user's own unread
 * count and read position are untouched. @openim/client-sdk 0.0.14 also sets the conversation's
 * unreadCount to 0 and moves the user's own read position to the peer's, so the user's unread
 * messages vanish and MarkConversationMessageAsRead later finds nothing to read.
 */
import type { MessageState, RawMessage } from '../upstream/clientSdk';
import { ownReadElsewhere, type MarkAsReadTips } from './ownReadElsewhere';

export type { MarkAsReadTips };

/** OpenIM's HasReadReceipt notification (MarkAsReadTips). */
export const HAS_READ_RECEIPT = 2200;
const SINGLE_CHAT = 1;


/** A notification's tips: its content is a NotificationElem whose `detail` is the JSON tips. */
function tipsOf(msg: RawMessage): MarkAsReadTips | undefined {
  try {
    const text = typeof msg.content === 'string' ? msg.content : Buffer.from(msg.content).toString('utf8');
    return JSON.parse((JSON.parse(text) as { detail: string }).detail) as MarkAsReadTips;
  } catch {
    return undefined;
  }
}

/** Handles a read receipt as the SDK core does: the peer's here, the user's own in ownReadElsewhere.ts. */
export async function readReceipt(msg: RawMessage, operationID: string, state: MessageState): Promise<boolean> {
  if (msg.contentType !== HAS_READ_RECEIPT) return false;
  const tips = tipsOf(msg);
  if (!tips?.conversationID || !tips.markAsReadUserID) return false;
  if (tips.markAsReadUserID === state.userID) {
    await ownReadElsewhere(tips, operationID, state);
    return true;
  }
  const seqs = tips.seqs ?? [];
  if (seqs.length === 0) return true;
  const messages = await state.messagesBySeqs(tips.conversationID, seqs, operationID);
  if (messages.length === 0 || messages[0]!.sessionType !== SINGLE_CHAT) return true; // the SDK core reports group receipts nowhere either
  for (const m of messages) {
    m.isRead = true;
    const attached = (m.attachedInfoElem ?? {}) as Record<string, unknown>;
    m.attachedInfoElem = { ...attached, hasReadTime: msg.sendTime };
  }
  const read = new Set(messages.map((m) => m.clientMsgID));
  state.emit('OnRecvC2CReadReceipt', [{ userID: tips.markAsReadUserID, groupID: '', msgIDList: [...read], readTime: msg.sendTime, msgFrom: 0, contentType: 0, sessionType: SINGLE_CHAT }], operationID);
  const latest = state.cachedConversation(tips.conversationID)?.latestMsg;
  if (latest) {
    const item = JSON.parse(latest) as { clientMsgID?: string; isRead?: boolean };
    if (item.clientMsgID && read.has(item.clientMsgID) && !item.isRead) {
      await state.changeConversation(tips.conversationID, { latestMsg: JSON.stringify({ ...item, isRead: true }) }, operationID);
    }
  }
  return true;
}
