/**
 * Notification messages the way the real notification sender builds them: content is a
 * NotificationElem `{"detail": "<json>"}`, msgFrom is system, options follow notification.yml
 * (notificationOptions.ts: online only unless revoke / has-read / delete, and for isSendMsg
 * types a copy in the chat conversation).
 */
import type { SdkWsProto } from '@openim/protocol';
import type { Notifier, UserDirectory } from '../api/contract';
import { goJson, type GoJsonRules } from '../http/goJson';
import { ContentType, MsgFrom, SessionType } from './constants';
import { newNotificationClientMsgID } from './msgID';
import { notificationOptions } from './notificationOptions';
import type { SendService } from './sendService';
import { withOperationID } from '../operationContext';

type MsgData = SdkWsProto.MsgData;

export interface NotifierDeps {
  send: () => SendService;
  users: UserDirectory;
  now: () => number;
  /** How tips are written (the profile's protocol release). */
  json: GoJsonRules;
}

/** sdkws.NotificationElem `{"detail": "<tips as JSON>"}` (notification.go NotificationSender.send, jsonutil.StructToJsonString). */
export function encodeNotificationContent(detail: object, rules: GoJsonRules): Uint8Array {
  return new TextEncoder().encode(goJson({ detail: goJson(detail, rules) }, rules));
}

/**
 * The notifications sent WithRpcGetUserName (internal/rpc/group/notification.go): only these
 * carry the sender's nickname and face; NotificationSender.send leaves them empty otherwise.
 */
const WITH_SENDER_NAME: ReadonlySet<number> = new Set([1502, 1519]);

export class MessageNotifier implements Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  notifyUsers(params: { sendID: string; recvIDs: string[]; contentType: number; detail: object; operationID?: string }): void {
    this.inOperation(params.operationID, () => {
      for (const recvID of params.recvIDs) {
        this.deps.send().send(this.build(params.sendID, recvID, '', SessionType.Single, params.contentType, params.detail));
      }
    });
  }

  notifyGroup(params: { sendID: string; groupID: string; contentType: number; detail: object; operationID?: string }): void {
    this.inOperation(params.operationID, () => {
      this.deps.send().send(this.build(params.sendID, '', params.groupID, SessionType.ReadGroup, params.contentType, params.detail));
    });
  }

  /** internal/rpc/conversation/notification.go ConversationChangeNotification: from the user to the user. */
  conversationChanged(userID: string, conversationIDs: string[]): void {
    this.deps.send().send(this.build(userID, userID, '', SessionType.Single, ContentType.ConversationChanged, { userID, conversationIDList: conversationIDs }));
  }

  private inOperation(operationID: string | undefined, fn: () => void): void {
    if (operationID) withOperationID(operationID, fn);
    else fn();
  }

  /**
   * A notification in a session of its own type (e.g. HasReadReceipt in a single chat), as
   * pkg/notification/msg.go NotificationSender.send builds it: a group notification's recvID is
   * the groupID, sender name and face only WithRpcGetUserName, offlinePushInfo always set (with
   * notification.yml's title, desc and ext, which the emulator leaves empty).
   */
  build(sendID: string, recvID: string, groupID: string, sessionType: number, contentType: number, detail: object): MsgData {
    const sender = WITH_SENDER_NAME.has(contentType) ? this.deps.users.get(sendID) : undefined;
    const now = this.deps.now();
    return {
      sendID,
      recvID: sessionType === SessionType.ReadGroup ? groupID : recvID,
      groupID,
      clientMsgID: newNotificationClientMsgID(sendID),
      serverMsgID: '',
      senderPlatformID: 0,
      senderNickname: sender?.nickname ?? '',
      senderFaceURL: sender?.faceURL ?? '',
      sessionType,
      msgFrom: MsgFrom.System,
      contentType,
      content: encodeNotificationContent(detail, this.deps.json),
      seq: 0,
      sendTime: now,
      createTime: now,
      status: 0,
      isRead: false,
      options: notificationOptions(contentType, sendID, sessionType === SessionType.ReadGroup ? groupID : recvID),
      offlinePushInfo: { title: '', desc: '', ex: '', iOSPushSound: '', iOSBadgeCount: false, signalInfo: '' },
      atUserIDList: [],
      attachedInfo: '',
      ex: '',
      keyVersion: 0,
      dstUserIDs: [],
    };
  }
}
