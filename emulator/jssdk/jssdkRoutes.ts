/** /jssdk/get_conversations and /jssdk/get_active_conversations (internal/api/jssdk): protobuf or JSON bodies. */
import { PbCoder } from '@openim/protocol';
import type { ConversationProto, JsSdkProto, RelationProto, SdkWsProto } from '@openim/protocol';
import type { GroupDomain, RelationDomain, RouteTable, UserDirectory } from '../api/contract';
import { ACTIVE_CONVERSATIONS_DEFAULT, ACTIVE_CONVERSATIONS_MAX } from '../config';
import type { ConversationRecord, ConversationStore } from '../conversation/conversationStore';
import { apiError, ErrCode } from '../errors';
import { goMap } from '../http/goJson';
import { asObject, optNumber, optStringArray } from '../http/validate';
import type { MessageStore } from '../msg/messageStore';

export interface JssdkRouteDeps {
  conversations: ConversationStore;
  messages: MessageStore;
  users: UserDirectory;
  groups: () => GroupDomain;
  relations: () => RelationDomain;
}

type ConversationMsg = JsSdkProto.ConversationMsg;

/** A ConversationMsg for the JSON writer: MsgData.options is a Go map, GroupInfo has no displayIsRead. */
function goView(c: ConversationMsg): object {
  const { displayIsRead: _drop, ...group } = c.group ?? { displayIsRead: false };
  return { ...c, lastMsg: c.lastMsg && { ...c.lastMsg, options: goMap(c.lastMsg.options) }, group: c.group && group };
}

export function jssdkRoutes(deps: JssdkRouteDeps): RouteTable {
  const routes: RouteTable = new Map();

  const userInfo = (userID: string): SdkWsProto.UserInfo | undefined => {
    const u = deps.users.get(userID);
    return u ? { userID: u.userID, nickname: u.nickname, faceURL: u.faceURL, ex: u.ex, createTime: u.createTime, appMangerLevel: u.appMangerLevel, globalRecvMsgOpt: u.globalRecvMsgOpt } : undefined;
  };

  /** jssdk.go fillConversations: the whole group from GetGroupsInfo (the client SDK takes faceURL from it). */
  const groupInfo = (groupID: string): SdkWsProto.GroupInfo | undefined => {
    const g = deps.groups().groupInfo(groupID);
    return g ? { ...g, displayIsRead: false } : undefined;
  };

  /** fillConversations puts the owner's friend record of the peer, when there is one. */
  const friendInfo = (owner: string, peer: string): RelationProto.FriendInfoOnly | undefined => {
    const f = deps.relations().friendInfoOnly?.(owner, [peer])[0];
    return f ? { ...f } : undefined;
  };

  const toMsg = (owner: string, c: ConversationRecord): ConversationMsg | undefined => {
    const maxSeq = deps.messages.maxSeq(c.conversationID);
    // checkMessagesAndGetLastMessage: the newest message the owner can still see
    const lastMsg = deps.messages.lastVisible(owner, c.conversationID);
    if (!lastMsg) return undefined;
    const conversation: ConversationProto.Conversation = { ...c };
    return {
      conversation,
      lastMsg,
      user: c.userID ? userInfo(c.userID) : undefined,
      friend: c.userID ? friendInfo(owner, c.userID) : undefined,
      group: c.groupID ? groupInfo(c.groupID) : undefined,
      maxSeq,
      readSeq: deps.messages.hasReadSeq(owner, c.conversationID),
    };
  };

  const unreadOf = (owner: string, list: ConversationRecord[]): number =>
    list.reduce((sum, c) => sum + Math.max(0, deps.messages.maxSeq(c.conversationID) - deps.messages.hasReadSeq(owner, c.conversationID)), 0);

  const decodeOr = <T>(body: unknown, pb: (b: Uint8Array) => T, json: (o: Record<string, unknown>) => T): T => {
    if (body instanceof Uint8Array) {
      try {
        return pb(body);
      } catch (e) {
        throw apiError(ErrCode.ServerInternal, e instanceof Error ? e.message : String(e));
      }
    }
    return json(asObject(body));
  };

  routes.set('/jssdk/get_active_conversations', (req) => {
    const r = decodeOr(req.body, (b) => PbCoder.GetActiveConversationsReq.decode(b), (o) => ({ ownerUserID: '', count: optNumber(o, 'count') }));
    const owner = req.opUserID;
    const count = r.count <= 0 || r.count > ACTIVE_CONVERSATIONS_MAX ? ACTIVE_CONVERSATIONS_DEFAULT : r.count;
    const all = deps.conversations.list(owner).filter((c) => deps.messages.maxSeq(c.conversationID) > 0);
    const sorted = [...all].sort(
      (a, b) => Number(b.isPinned) - Number(a.isPinned) || deps.messages.maxSeqTime(b.conversationID) - deps.messages.maxSeqTime(a.conversationID),
    );
    const conversations = sorted.slice(0, count).map((c) => toMsg(owner, c)).filter((c) => c !== undefined);
    const resp: JsSdkProto.GetActiveConversationsResp = { unreadCount: unreadOf(owner, all), conversations };
    return req.body instanceof Uint8Array ? PbCoder.GetActiveConversationsResp.encode(resp).finish() : { ...resp, conversations: resp.conversations.map(goView) };
  });

  routes.set('/jssdk/get_conversations', (req) => {
    const r = decodeOr(req.body, (b) => PbCoder.GetConversationsReq.decode(b), (o) => ({ ownerUserID: '', conversationIDs: optStringArray(o, 'conversationIDs') }));
    const owner = req.opUserID;
    const list = r.conversationIDs.map((id) => deps.conversations.get(owner, id)).filter((c) => c !== undefined);
    const conversations = list.map((c) => toMsg(owner, c)).filter((c) => c !== undefined);
    const resp: JsSdkProto.GetConversationsResp = { unreadCount: unreadOf(owner, list), conversations };
    return req.body instanceof Uint8Array ? PbCoder.GetConversationsResp.encode(resp).finish() : { ...resp, conversations: resp.conversations.map(goView) };
  });

  return routes;
}
