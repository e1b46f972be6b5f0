/** protocol/constant values the message side uses. */
export const SessionType = { Single: 1, WriteGroup: 2, ReadGroup: 3, Notification: 4 } as const;
export const MsgFrom = { User: 100, System: 200 } as const;
export const ContentType = {
  Text: 101,
  AtText: 106,
  Typing: 113,
  HasReadReceipt: 2200,
  Revoke: 2101,
  DeleteMsgs: 2102,
  ConversationChanged: 1300,
  ConversationPrivateChat: 1701,
  ClearConversation: 1703,
} as const;
export const MsgStatus = { SendSuccess: 2, HasDeleted: 4 } as const;

/** Notification content types whose notification.yml entry has isSendMsg: true (also stored as a chat message). */
export const SEND_MSG_NOTIFICATIONS: ReadonlySet<number> = new Set([
  1201, 1501, 1504, 1507, 1508, 1509, 1510, 1511, 1512, 1513, 1514, 1515, 1519, 1520, 1701,
]);

/** Option keys (protocol/constant). */
export const Opt = {
  NotNotification: 'notNotification',
  SendMsg: 'sendMsg',
  History: 'history',
  Persistent: 'persistent',
  UnreadCount: 'unreadCount',
  SenderSync: 'senderSync',
  OfflinePush: 'offlinePush',
} as const;

/** protocol/constant ReceiveMessage / NotReceiveMessage / ReceiveNotNotifyMessage. */
export const RecvMsgOpt = { Receive: 0, NotReceive: 1, NotNotify: 2 } as const;

/** msgprocessor.Options.Is: a missing key counts as true. */
export function optionIs(options: Record<string, boolean> | undefined, key: string): boolean {
  const v = options?.[key];
  return v === undefined || v;
}
