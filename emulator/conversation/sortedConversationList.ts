/**
 * /conversation/get_sorted_conversation_list: internal/rpc/conversation GetSortedConversationList
 * with getConversationInfo and conversationSort, over the msg rpc's GetMaxSeqs,
 * GetMsgByConversationIDs (the stored message at each max seq, deletes not applied) and
 * GetHasReadSeqs.
 */
import type { SdkWsProto } from '@openim/protocol';
import type { GroupDomain, UserDirectory } from '../api/contract';
import { apiError, ErrCode, recordNotFound } from '../errors';
import { SessionType } from '../msg/constants';
import type { MessageStore } from '../msg/messageStore';
import type { ConversationStore } from './conversationStore';

export interface SortedListDeps {
  conversations: ConversationStore;
  messages: MessageStore;
  users: UserDirectory;
  groups: () => GroupDomain;
  /**
   * A conversation without a message: 'panic' (v3.8.0, v3.8.3 up to patch.10 read its nil MsgInfo,
   * the rpc's recover answers ErrPanic, 500), 'createTime' (patch.11+: sorted by its creation time).
   */
  withoutMessage: 'panic' | 'createTime';
}

interface MsgInfo {
  serverMsgID: string;
  clientMsgID: string;
  sessionType: number;
  sendID: string;
  recvID: string;
  senderName: string;
  faceURL: string;
  groupID: string;
  groupName: string;
  groupFaceURL: string;
  groupType: number;
  groupMemberCount: number;
  LatestMsgRecvTime: number;
  msgFrom: number;
  contentType: number;
  content: string;
  ex: string;
}

interface ConversationElem {
  conversationID: string;
  recvMsgOpt: number;
  unreadCount: number;
  IsPinned: boolean;
  msgInfo: MsgInfo | undefined;
}

export interface SortedListRequest {
  userID: string;
  conversationIDs: string[];
  pageNumber: number;
  showNumber: number;
}

/** datautil.Paginate: page numbers from 1, nothing for a page or size below 1. */
function paginate<T>(list: T[], pageNumber: number, showNumber: number): T[] {
  if (pageNumber <= 0 || showNumber <= 0) return [];
  const start = (pageNumber - 1) * showNumber;
  return start >= list.length ? [] : list.slice(start, start + showNumber);
}

export function sortedConversationList(deps: SortedListDeps, req: SortedListRequest): object {
  const { userID } = req;
  const conversationIDs = req.conversationIDs.length > 0 ? req.conversationIDs : deps.conversations.list(userID).map((c) => c.conversationID);
  const owned = conversationIDs.map((id) => deps.conversations.get(userID, id)).filter((c) => c !== undefined);
  if (owned.length === 0) throw recordNotFound('record not found');

  const maxSeqs = new Map(conversationIDs.map((id) => [id, deps.messages.maxSeq(id)]));
  const elems = new Map<string, ConversationElem>();
  for (const [conversationID, maxSeq] of maxSeqs) {
    const msg = deps.messages.get(conversationID, maxSeq);
    if (msg) elems.set(conversationID, { conversationID, recvMsgOpt: 0, unreadCount: 0, IsPinned: false, msgInfo: msgInfoOf(deps, msg, userID) });
  }
  const conversationTotal = elems.size;
  let unreadTotal = 0;
  const unread = new Map<string, number>();
  for (const [conversationID, maxSeq] of maxSeqs) {
    const count = maxSeq - deps.messages.hasReadSeq(userID, conversationID);
    unread.set(conversationID, count);
    unreadTotal += count;
  }

  // keyed by time as the real maps are: a later conversation with the same time replaces an earlier one
  const pinned = new Map<number, string>();
  const notPinned = new Map<number, string>();
  for (const c of owned) {
    let elem = elems.get(c.conversationID);
    let time: number;
    if (elem?.msgInfo) time = elem.msgInfo.LatestMsgRecvTime;
    else if (deps.withoutMessage === 'panic') throw apiError(ErrCode.ServerInternal, 'runtime error: invalid memory address or nil pointer dereference');
    else {
      elem = { conversationID: c.conversationID, recvMsgOpt: 0, unreadCount: 0, IsPinned: c.isPinned, msgInfo: undefined };
      elems.set(c.conversationID, elem);
      time = deps.conversations.createTime(userID, c.conversationID);
    }
    elem.recvMsgOpt = c.recvMsgOpt;
    if (c.isPinned) {
      elem.IsPinned = true;
      pinned.set(time, c.conversationID);
    } else notPinned.set(time, c.conversationID);
  }
  const sorted = (byTime: Map<number, string>): ConversationElem[] =>
    [...byTime.keys()]
      .sort((a, b) => b - a)
      .map((t) => {
        const id = byTime.get(t) as string;
        const elem = elems.get(id) as ConversationElem;
        elem.unreadCount = unread.get(id) ?? 0;
        return elem;
      });
  const all = [...sorted(pinned), ...sorted(notPinned)];
  return { conversationTotal, unreadTotal, conversationElems: paginate(all, req.pageNumber, req.showNumber) };
}

/** getConversationInfo: the fields CopyStructFields takes from MsgData, then names and faces. */
function msgInfoOf(deps: SortedListDeps, msg: SdkWsProto.MsgData, userID: string): MsgInfo {
  const info: MsgInfo = {
    serverMsgID: msg.serverMsgID,
    clientMsgID: msg.clientMsgID,
    sessionType: msg.sessionType,
    sendID: msg.sendID,
    recvID: msg.recvID,
    senderName: '',
    faceURL: '',
    groupID: msg.groupID,
    groupName: '',
    groupFaceURL: '',
    groupType: 0,
    groupMemberCount: 0,
    LatestMsgRecvTime: msg.sendTime,
    msgFrom: msg.msgFrom,
    contentType: msg.contentType,
    content: Buffer.from(msg.content).toString('utf8'),
    ex: msg.ex,
  };
  if (msg.sessionType === SessionType.Single) {
    // the peer's name and face when the user sent it, the sender's otherwise
    const who = deps.users.get(msg.sendID === userID ? msg.recvID : msg.sendID);
    if (who) {
      info.faceURL = who.faceURL;
      info.senderName = who.nickname;
    }
  } else if (msg.sessionType === SessionType.ReadGroup || msg.sessionType === SessionType.WriteGroup) {
    const group = deps.groups().groupInfo(msg.groupID);
    if (group) {
      info.groupName = group.groupName;
      info.groupFaceURL = group.faceURL;
      info.groupMemberCount = group.memberCount;
      info.groupType = group.groupType;
    }
    const sender = deps.users.get(msg.sendID);
    if (sender) info.senderName = sender.nickname;
  }
  return info;
}
