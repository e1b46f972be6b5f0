/**
 * /msg/revoke_msg (msg rpc RevokeMsg): who may revoke, the stored message turned into a
 * MessageRevokedContent notification elem, and the RevokeMsgTips notification to the chat.
 */
import type { ApiHandler, GroupDomain, UserDirectory } from '../api/contract';
import type { GoJsonRules } from '../http/goJson';
import { apiError, argsError, ErrCode, noPermission, recordNotFound } from '../errors';
import { asObject, optNumber, reqString } from '../http/validate';
import { ContentType, MsgStatus, SessionType } from './constants';
import { checkAccess } from './access';
import type { MessageStore } from './messageStore';
import { encodeNotificationContent, type MessageNotifier } from './notifier';
import type { SendService } from './sendService';

/** What revoking needs (msgRoutes.ts passes its own deps). */
export interface RevokeDeps {
  send: SendService;
  messages: MessageStore;
  notifier: MessageNotifier;
  users: UserDirectory;
  groups: () => GroupDomain;
  now: () => number;
  json: GoJsonRules;
}

/** protocol/constant group roles. */
const GROUP_OWNER = 100;
const GROUP_ADMIN = 60;
const GROUP_ORDINARY = 20;

/** Who may revoke (msg rpc RevokeMsg): the sender in single chats; in groups also the owner, or an admin for ordinary members. */
function revokePermission(deps: RevokeDeps, userID: string, msg: { sessionType: number; sendID: string; groupID: string }): number {
  if (msg.sessionType === SessionType.Single) {
    if (msg.sendID !== userID) throw noPermission('no permission');
    return deps.users.get(userID)?.appMangerLevel ?? 0;
  }
  if (msg.sessionType !== SessionType.ReadGroup) throw apiError(ErrCode.ServerInternal, 'msg sessionType not supported');
  const me = deps.groups().member(msg.groupID, userID);
  if (userID !== msg.sendID) {
    const sender = deps.groups().member(msg.groupID, msg.sendID);
    const allowed = me?.roleLevel === GROUP_OWNER || (me?.roleLevel === GROUP_ADMIN && (!sender || sender.roleLevel === GROUP_ORDINARY));
    if (!allowed) throw noPermission('no permission');
  }
  return me?.roleLevel ?? 0;
}

export function revokeHandler(deps: RevokeDeps): ApiHandler {
  return (req) => {
    const body = asObject(req.body);
    const userID = reqString(body, 'userID');
    const conversationID = reqString(body, 'conversationID');
    const seq = optNumber(body, 'seq');
    // RevokeMsgReq.Check (protocol msg/msg.go): a seq below 1 is an ArgsError before any lookup.
    if (seq < 1) throw argsError('seq is invalid');
    checkAccess(req, userID);
    const revoker = deps.users.get(userID);
    if (!revoker && !req.isAdmin) throw recordNotFound('user not found');
    const visible = seq >= deps.messages.minSeqFor(userID, conversationID) && seq <= deps.messages.maxSeq(conversationID);
    const msg = visible ? deps.messages.viewFor(userID, conversationID, seq) : undefined;
    if (!msg || msg.status === MsgStatus.HasDeleted) throw recordNotFound('msg not found');
    if (msg.contentType === ContentType.Revoke) throw apiError(ErrCode.MsgAlreadyRevoke, 'msg already revoke');
    const role = req.isAdmin ? 0 : revokePermission(deps, userID, msg);
    const revokeTime = deps.now();
    const revokedContent = {
      revokerID: userID,
      revokerRole: role,
      clientMsgID: msg.clientMsgID,
      revokerNickname: revoker?.nickname ?? '',
      revokeTime,
      sourceMessageSendTime: msg.sendTime,
      sourceMessageSendID: msg.sendID,
      sourceMessageSenderNickname: msg.senderNickname,
      sessionType: msg.sessionType,
      seq,
      ex: msg.ex,
    };
    deps.messages.replace(conversationID, { ...msg, contentType: ContentType.Revoke, content: encodeNotificationContent(revokedContent, deps.json) });
    const tips = {
      revokerUserID: req.opUserID,
      clientMsgID: msg.clientMsgID,
      revokeTime,
      sesstionType: msg.sessionType,
      seq,
      conversationID,
      isAdminRevoke: req.isAdmin,
    };
    const isGroup = msg.sessionType === SessionType.ReadGroup;
    deps.send.send(deps.notifier.build(userID, isGroup ? '' : msg.recvID, isGroup ? msg.groupID : '', msg.sessionType, ContentType.Revoke, tips));
    return {};
  };
}
