/**
 * SendMsg as the msg rpc does it: verify the sender may send, stamp serverMsgID/sendTime,
 * give the message its seq, create missing conversations, and push it to every recipient
 * (the sender's own connections included: senderSync).
 */
import type { SdkWsProto } from '@openim/protocol';
import type { GroupDomain, RelationDomain, UserDirectory } from '../api/contract';
import type { ConversationStore } from '../conversation/conversationStore';
import { apiError, argsError, ErrCode } from '../errors';
import { ContentType, MsgStatus, Opt, optionIs, RecvMsgOpt, SessionType } from './constants';
import { chatConversationID, conversationIDOf, isNotificationConversation } from './conversationIds';
import { leavingUsers } from './groupPushHandler';
import type { MessageStore } from './messageStore';
import { newClientMsgID, newServerMsgID } from './msgID';
import type { PushSink } from './pushSink';

type MsgData = SdkWsProto.MsgData;

/** protocol/constant GroupStatusDismissed / GroupStatusMuted, GroupDismissedNotification, roles, SuperGroup. */
const GROUP_STATUS_DISMISSED = 2;
const GROUP_STATUS_MUTED = 3;
const GROUP_DISMISSED_NOTIFICATION = 1511;
const GROUP_ROLE_OWNER = 100;
const GROUP_ROLE_ADMIN = 60;
const SUPER_GROUP_TYPE = 1;
/** protocol/constant NotificationBegin..NotificationEnd: not verified against relations. */
const NOTIFICATION_BEGIN = 1000;
const NOTIFICATION_END = 5000;
/** protocol/constant AppAdmin: system accounts skip the blacklist. */
const APP_ADMIN_LEVEL = 2;

const isNotificationType = (contentType: number): boolean => contentType >= NOTIFICATION_BEGIN && contentType <= NOTIFICATION_END;

export interface SendServiceDeps {
  messages: MessageStore;
  conversations: ConversationStore;
  push: PushSink;
  relations: () => RelationDomain;
  users: UserDirectory;
  adminUserIDs: readonly string[];
  groups: () => GroupDomain;
  now: () => number;
  /** setConversationAtInfo, run after a group AtText message is stored and pushed (emulator/msg/atInfo.ts). */
  atInfo?: (msg: MsgData, memberIDs: string[]) => void;
  /** push_handler.go DeleteMemberAndSetConversationSeq, run by Push2Group for the leavers of each copy of a 1504/1508. */
  membersLeft?: (groupID: string, userIDs: string[]) => void;
}

export class SendService {
  constructor(private readonly deps: SendServiceDeps) {}

  /**
   * Sends and returns the stored message (with seq, unless it is not kept in history), or
   * undefined when the receiver's receive option drops it (sendMsgSingleChat answers nil then).
   */
  send(input: MsgData): MsgData | undefined {
    if (input.sendID === '') throw argsError('sendID is empty');
    if (![SessionType.Single, SessionType.ReadGroup, SessionType.Notification].includes(input.sessionType as 1 | 3 | 4)) {
      throw argsError(`sessionType ${input.sessionType} is not supported`);
    }
    if (input.contentType <= 0) throw argsError('contentType is empty');
    const recipients = this.recipientsOf(input);
    const msg = this.encapsulate(input);
    if (msg.sessionType === SessionType.Single && optionIs(msg.options, Opt.NotNotification) && !this.receiverAccepts(msg)) return undefined;
    const conversationID = conversationIDOf(msg);
    if (isNotificationConversation(conversationID) && msg.options[Opt.SendMsg] === true) {
      // msgtransfer categorizeMessageLists: the chat copy gets NewMsgOptions (an empty map, so
      // history etc. count as true) plus offlinePush/unreadCount; the notification loses both.
      const copyOptions = { [Opt.OfflinePush]: optionIs(msg.options, Opt.OfflinePush), [Opt.UnreadCount]: optionIs(msg.options, Opt.UnreadCount) };
      this.storeAndPush(chatConversationID(msg), { ...msg, options: copyOptions }, recipients);
      msg.options = { ...msg.options, [Opt.OfflinePush]: false, [Opt.UnreadCount]: false };
    }
    const stored = this.storeAndPush(conversationID, msg, recipients);
    // sendMsgGroupChat: after MsgToMQ, `go m.setConversationAtInfo` for AtText.
    if (msg.sessionType === SessionType.ReadGroup && msg.contentType === ContentType.AtText) this.deps.atInfo?.(stored, recipients);
    return stored;
  }

  /**
   * internal/rpc/msg/verify.go modifyMessageByUserMessageReceiveOpt: the receiver's global option,
   * then its option for this conversation; 1 (NotReceiveMessage) drops the message (a has-read
   * receipt still passes the conversation option), 2 only turns offline push off.
   */
  private receiverAccepts(msg: MsgData): boolean {
    const global = this.deps.users.get(msg.recvID)?.globalRecvMsgOpt ?? RecvMsgOpt.Receive;
    if (global === RecvMsgOpt.NotReceive) return false;
    if (global === RecvMsgOpt.NotNotify) {
      msg.options = { ...msg.options, [Opt.OfflinePush]: false };
      return true;
    }
    const single = this.deps.conversations.get(msg.recvID, chatConversationID(msg))?.recvMsgOpt ?? RecvMsgOpt.Receive;
    if (single === RecvMsgOpt.NotReceive) return msg.contentType === ContentType.HasReadReceipt;
    if (single === RecvMsgOpt.NotNotify) msg.options = { ...msg.options, [Opt.OfflinePush]: false };
    return true;
  }

  private storeAndPush(conversationID: string, msg: MsgData, recipients: string[]): MsgData {
    const keep = optionIs(msg.options, Opt.History) && msg.contentType !== ContentType.Typing;
    const stored = keep ? this.deps.messages.append(conversationID, msg) : msg;
    // msgtransfer BatchInsertChat2Cache → SetHasReadSeqs: the sender has read its own message.
    if (keep) this.deps.messages.setHasReadSeq(msg.sendID, conversationID, stored.seq);
    if (keep && !isNotificationConversation(conversationID)) this.ensureConversations(conversationID, stored, recipients);
    // push_handler.go handleMs2PsChat: Push2Group pushes to every member whatever senderSync says;
    // Push2User leaves the sender out when senderSync is off, unless it is also the receiver.
    const toSender = msg.sessionType === SessionType.ReadGroup || optionIs(msg.options, Opt.SenderSync) || msg.sendID === msg.recvID;
    const pushTo = toSender ? recipients : recipients.filter((u) => u !== msg.sendID);
    // groupMessagesHandler: the leavers of a quit/kick tip get this copy too, then their seq bound
    // (its ConversationChangeNotification travels through the queue, so it arrives after the tip)
    const leavers = msg.sessionType === SessionType.ReadGroup ? leavingUsers(stored) : [];
    this.deps.push.pushMessage([...pushTo, ...leavers], stored);
    if (leavers.length > 0) this.deps.membersLeft?.(msg.groupID, leavers);
    return stored;
  }

  private encapsulate(input: MsgData): MsgData {
    const options = { ...input.options };
    if (input.contentType === ContentType.Typing) {
      for (const k of [Opt.History, Opt.Persistent, Opt.SenderSync, Opt.UnreadCount]) options[k] = false;
    }
    return {
      ...input,
      clientMsgID: input.clientMsgID || newClientMsgID(input.sendID),
      serverMsgID: newServerMsgID(input.sendID),
      sendTime: input.sendTime || this.deps.now(),
      createTime: input.createTime || this.deps.now(),
      status: MsgStatus.SendSuccess,
      options,
    };
  }

  /** messageVerification, then who receives the message. */
  private recipientsOf(msg: MsgData): string[] {
    const skipChecks = this.deps.adminUserIDs.includes(msg.sendID) || isNotificationType(msg.contentType);
    if (msg.sessionType === SessionType.ReadGroup) {
      const group = this.deps.groups().group(msg.groupID);
      const members = this.deps.groups().memberIDs(msg.groupID);
      if (!group || !members) throw apiError(ErrCode.RecordNotFound, `group ${msg.groupID} not found`);
      if (group.status === GROUP_STATUS_DISMISSED && msg.contentType !== GROUP_DISMISSED_NOTIFICATION) {
        throw apiError(ErrCode.DismissedAlready, 'group dismissed');
      }
      if (group.groupType !== SUPER_GROUP_TYPE && !skipChecks) this.verifyGroupSender(msg, group.status);
      return members;
    }
    if (msg.recvID === '') throw argsError('recvID is empty');
    if (msg.sessionType === SessionType.Single && !skipChecks) {
      const sender = this.deps.users.get(msg.sendID);
      if (!sender) throw apiError(ErrCode.RecordNotFound, `user ${msg.sendID} not found`);
      if (sender.appMangerLevel < APP_ADMIN_LEVEL && this.deps.relations().isBlocked(msg.recvID, msg.sendID)) {
        throw apiError(ErrCode.BlockedByPeer, 'BlockedByPeer');
      }
    }
    return msg.sendID === msg.recvID ? [msg.sendID] : [msg.recvID, msg.sendID];
  }

  private verifyGroupSender(msg: MsgData, groupStatus: number): void {
    const member = this.deps.groups().member(msg.groupID, msg.sendID);
    if (!member) throw apiError(ErrCode.NotInGroupYet, `${msg.sendID} not in group ${msg.groupID}`);
    if (member.roleLevel === GROUP_ROLE_OWNER) return;
    if (member.muteEndTime >= this.deps.now()) throw apiError(ErrCode.MutedInGroup, 'member muted');
    if (groupStatus === GROUP_STATUS_MUTED && member.roleLevel !== GROUP_ROLE_ADMIN) throw apiError(ErrCode.MutedGroup, 'group muted');
  }

  private ensureConversations(conversationID: string, msg: MsgData, recipients: string[]): void {
    for (const owner of recipients) {
      if (msg.sessionType === SessionType.ReadGroup) {
        this.deps.conversations.ensure(owner, conversationID, SessionType.ReadGroup, '', msg.groupID);
      } else {
        const peer = owner === msg.sendID ? msg.recvID : msg.sendID;
        this.deps.conversations.ensure(owner, conversationID, msg.sessionType, peer, '');
      }
    }
  }
}
