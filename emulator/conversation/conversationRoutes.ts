/** /conversation/* routes (internal/rpc/conversation). */
import type { GroupDomain, RouteTable, UserDirectory } from '../api/contract';
import { argsError } from '../errors';
import { asObject, optNumber, optObject, optString, optStringArray, reqString, wrapped } from '../http/validate';
import type { Fields } from '../http/validate';
import { ContentType, SessionType } from '../msg/constants';
import type { MessageStore } from '../msg/messageStore';
import type { MessageNotifier } from '../msg/notifier';
import type { SendService } from '../msg/sendService';
import type { ConversationPatch, ConversationStore } from './conversationStore';
import { idHashMatches } from '../relation/idHash';
import { setConversations } from './setConversations';
import { sortedConversationList } from './sortedConversationList';
import type { SortedListDeps } from './sortedConversationList';

export interface ConversationRouteDeps {
  conversations: ConversationStore;
  notifier: MessageNotifier;
  send: SendService;
  messages: MessageStore;
  users: UserDirectory;
  groups: () => GroupDomain;
  sortedListWithoutMessage: SortedListDeps['withoutMessage'];
}

/** sdkws.RequestPagination as sent: pageNumber and showNumber, 0 when absent. */
function pagination(o: Fields): { present: boolean; pageNumber: number; showNumber: number } {
  const p = optObject(o, 'pagination');
  return { present: p !== undefined, pageNumber: p ? optNumber(p, 'pageNumber') : 0, showNumber: p ? optNumber(p, 'showNumber') : 0 };
}

/**
 * The fields of ConversationReq that set_conversations changes (conversation.go
 * setConversationFieldsFunc); wrapped values are `{value}`. minSeq and maxSeq are in the request
 * message but that function never reads them.
 */
function patchOf(c: Fields): ConversationPatch {
  const fields: ConversationPatch = {
    recvMsgOpt: wrapped(c, 'recvMsgOpt', 'number'),
    isPinned: wrapped(c, 'isPinned', 'boolean'),
    attachedInfo: wrapped(c, 'attachedInfo', 'string'),
    isPrivateChat: wrapped(c, 'isPrivateChat', 'boolean'),
    groupAtType: wrapped(c, 'groupAtType', 'number'),
    ex: wrapped(c, 'ex', 'string'),
    burnDuration: wrapped(c, 'burnDuration', 'number'),
    msgDestructTime: wrapped(c, 'msgDestructTime', 'number'),
    isMsgDestruct: wrapped(c, 'isMsgDestruct', 'boolean'),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as ConversationPatch;
}

/** The conversation rpc checks no access in v3.8: any user may read or set another's conversations. */
export function conversationRoutes(deps: ConversationRouteDeps): RouteTable {
  const { conversations } = deps;
  const routes: RouteTable = new Map();

  /**
   * SetConversations: users whose record is new or actually changes get ConversationChanged;
   * a present isPrivateChat (not in groups) is applied to both sides and announced to the peer.
   */
  routes.set('/conversation/set_conversations', (req) => {
    const body = asObject(req.body);
    const userIDs = optStringArray(body, 'userIDs');
    const c = optObject(body, 'conversation');
    if (!c || userIDs.length === 0) throw argsError('userIDs and conversation are required');
    const conversationID = reqString(c, 'conversationID');
    const conversationType = optNumber(c, 'conversationType');
    const peer = optString(c, 'userID');
    const groupID = optString(c, 'groupID');
    const patch = patchOf(c);
    const { isPrivateChat, ...others } = patch;
    if (Object.keys(patch).length > 0) {
      const announce = (userID: string, id: string): void => deps.notifier.conversationChanged(userID, [id]);
      setConversations(conversations, announce, userIDs, { conversationID, conversationType, userID: peer, groupID }, others);
    }
    if (isPrivateChat !== undefined && conversationType !== SessionType.ReadGroup) {
      for (const userID of userIDs) {
        for (const owner of [userID, peer].filter((u) => u !== '')) {
          const other = owner === userID ? peer : userID;
          conversations.ensure(owner, conversationID, conversationType, other, groupID);
          if (conversations.get(owner, conversationID)?.isPrivateChat !== isPrivateChat) conversations.update(owner, conversationID, { isPrivateChat });
        }
        if (peer === '') continue;
        const tips = { recvID: peer, sendID: userID, isPrivate: isPrivateChat, conversationID };
        deps.send.send(deps.notifier.build(userID, peer, '', SessionType.Single, ContentType.ConversationPrivateChat, tips));
      }
    }
    return {};
  });

  routes.set('/conversation/get_incremental_conversations', (req) => {
    const body = asObject(req.body);
    const userID = reqString(body, 'userID');
    return conversations.incremental(userID, optNumber(body, 'version'), optString(body, 'versionID'));
  });

  routes.set('/conversation/get_full_conversation_ids', (req) => {
    const body = asObject(req.body);
    const userID = reqString(body, 'userID');
    const inc = conversations.incremental(userID, 0, '');
    const ids = conversations.list(userID).map((x) => x.conversationID);
    const equal = idHashMatches(ids, optNumber(body, 'idHash'));
    return { version: inc.version, versionID: inc.versionID, equal, conversationIDs: equal ? [] : ids };
  });

  routes.set('/conversation/get_not_notify_conversation_ids', (req) => {
    const userID = reqString(asObject(req.body), 'userID');
    return { conversationIDs: conversations.list(userID).filter((x) => x.recvMsgOpt !== 0).map((x) => x.conversationID) };
  });

  routes.set('/conversation/get_pinned_conversation_ids', (req) => {
    const userID = reqString(asObject(req.body), 'userID');
    return { conversationIDs: conversations.list(userID).filter((x) => x.isPinned).map((x) => x.conversationID) };
  });

  routes.set('/conversation/get_all_conversations', (req) => {
    const owner = reqString(asObject(req.body), 'ownerUserID');
    return { conversations: conversations.list(owner) };
  });

  routes.set('/conversation/get_conversations', (req) => {
    const body = asObject(req.body);
    const owner = reqString(body, 'ownerUserID');
    const ids = optStringArray(body, 'conversationIDs');
    return { conversations: ids.map((id) => conversations.get(owner, id)).filter((x) => x !== undefined) };
  });

  routes.set('/conversation/get_conversation', (req) => {
    const body = asObject(req.body);
    const owner = reqString(body, 'ownerUserID');
    return { conversation: conversations.get(owner, reqString(body, 'conversationID')) };
  });

  /** GetOwnerConversation → conversationDatabase.GetOwnerConversation: a page of the user's conversation IDs, total = all of them. */
  routes.set('/conversation/get_owner_conversation', (req) => {
    const body = asObject(req.body);
    const userID = optString(body, 'userID');
    const page = pagination(body);
    const all = conversations.list(userID);
    const start = (page.pageNumber - 1) * page.showNumber;
    const shown = page.pageNumber <= 0 || page.showNumber <= 0 ? [] : all.slice(start, start + page.showNumber);
    return { total: all.length, conversations: shown };
  });

  routes.set('/conversation/get_sorted_conversation_list', (req) => {
    const body = asObject(req.body);
    // GetSortedConversationListReq.Check
    const userID = optString(body, 'userID');
    if (userID === '') throw argsError('userID is empty');
    const page = pagination(body);
    if (!page.present) throw argsError('pagination is empty');
    if (page.pageNumber < 1) throw argsError('pageNumber is invalid');
    const listDeps = { conversations, messages: deps.messages, users: deps.users, groups: deps.groups, withoutMessage: deps.sortedListWithoutMessage };
    return sortedConversationList(listDeps, { userID, conversationIDs: optStringArray(body, 'conversationIDs'), pageNumber: page.pageNumber, showNumber: page.showNumber });
  });

  return routes;
}
