/**
 * The option map of a notification as pkg/notification/msg.go NotificationSender.send builds it:
 * msgprocessor.NewOptions (every key present, explicit falses, senderSync true), then
 * config.GetOptionsByNotification for the content type's entry of newContentTypeConf.
 */
import { ContentType, SEND_MSG_NOTIFICATIONS } from './constants';

/** protocol/constant UserStatusChangeNotification: SetOptionsByContentType turns senderSync off. */
const USER_STATUS_CHANGE_NOTIFICATION = 1204;

/**
 * newContentTypeConf gives these three ReliabilityLevel 2 (ReliableNotificationNoMsg): stored
 * with a seq in the n_ conversation. Every other type takes its notification.yml entry, and
 * the shipped notification.yml says reliabilityLevel 1 (online only) for all of them in v3.8.0,
 * v3.8.3 and v3.8.3-patch.16; a type without an entry (ClearConversationNotification 1703) has
 * level 0, which is not stored either.
 */
const RELIABLE_NOTIFICATIONS: ReadonlySet<number> = new Set([ContentType.Revoke, ContentType.HasReadReceipt, ContentType.DeleteMsgs]);

/** True when the notification is kept in history (gets a seq and can be pulled). */
export function isReliableNotification(contentType: number, sendID: string, recvID: string): boolean {
  // send(): a has-read receipt to oneself is made UnreliableNotification.
  if (contentType === ContentType.HasReadReceipt && sendID === recvID) return false;
  return RELIABLE_NOTIFICATIONS.has(contentType);
}

export function notificationOptions(contentType: number, sendID: string, recvID: string): Record<string, boolean> {
  const isSendMsg = SEND_MSG_NOTIFICATIONS.has(contentType);
  const reliable = isReliableNotification(contentType, sendID, recvID);
  return {
    notNotification: false,
    sendMsg: isSendMsg,
    history: reliable,
    persistent: reliable,
    offlinePush: false,
    unreadCount: isSendMsg,
    conversationUpdate: false,
    senderSync: contentType !== USER_STATUS_CHANGE_NOTIFICATION,
    notPrivate: false,
    senderConversationUpdate: false,
    reactionFromCache: false,
  };
}
