/** Conversation IDs as pkg/msgprocessor/conversation.go builds them. */
import { Opt, optionIs, SessionType } from './constants';

interface Routing {
  sendID: string;
  recvID: string;
  groupID: string;
  sessionType: number;
  options?: Record<string, boolean>;
}

const pair = (a: string, b: string): string => [a, b].sort().join('_');

export function chatConversationID(m: Routing): string {
  switch (m.sessionType) {
    case SessionType.Single:
      return `si_${pair(m.sendID, m.recvID)}`;
    case SessionType.WriteGroup:
      return `g_${m.groupID}`;
    case SessionType.ReadGroup:
      return `sg_${m.groupID}`;
    case SessionType.Notification:
      return `sn_${pair(m.sendID, m.recvID)}`;
    default:
      return '';
  }
}

export function notificationConversationID(m: Routing): string {
  switch (m.sessionType) {
    case SessionType.Single:
    case SessionType.Notification:
      return `n_${pair(m.sendID, m.recvID)}`;
    case SessionType.WriteGroup:
    case SessionType.ReadGroup:
      return `n_${m.groupID}`;
    default:
      return '';
  }
}

/** GetConversationIDByMsg: notifications (notNotification unset or false) live in `n_` conversations. */
export function conversationIDOf(m: Routing): string {
  return optionIs(m.options, Opt.NotNotification) ? chatConversationID(m) : notificationConversationID(m);
}

export function isNotificationConversation(conversationID: string): boolean {
  return conversationID.startsWith('n_');
}

export function isGroupConversation(conversationID: string): boolean {
  return conversationID.startsWith('sg_') || conversationID.startsWith('g_');
}
