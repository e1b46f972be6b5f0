/**
 * Rule: the user's own messages never count as unread. openim-sdk-core v3.5.1 (doMsgNew) adds
 * to a conversation's unreadCount only for messages sent by others; @openim/client-sdk 0.0.14
 * adds one for every message whose options allow counting, the user's own included. The rule
 * turns that option off for own messages before the client SDK handles them (push and pull).
 */
import type { RawMessageBatch } from '../upstream/clientSdk';

/** OpenIM's message option that lets a message count as unread (absent: it does). */
const UNREAD_COUNT_OPTION = 'unreadCount';

export function ownMessagesNotUnread(userID: string): (batch: RawMessageBatch) => void {
  return (batch) => {
    for (const { Msgs } of Object.values(batch)) {
      for (const m of Msgs ?? []) {
        if (m.sendID === userID) m.options = { ...(m.options ?? {}), [UNREAD_COUNT_OPTION]: false };
      }
    }
  };
}
