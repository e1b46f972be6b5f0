/** /conversation/* routes (internal/rpc/conversation). */
import type { RouteTable } from '../api/contract';
import { argsError } from '../errors';
import { checkAccess } from '../msg/access';
import { asObject, optNumber, optObject, optString, optStringArray, optWrapped, reqString } from '../http/validate';
import type { Fields } from '../http/validate';
import { ContentType, SessionType } from '../msg/constants';
import type { MessageNotifier } from '../msg/notifier';
import type { SendService } from '../msg/sendService';
import type { ConversationPatch, ConversationStore } from './conversationStore';
import { idHash } from './idHash';
import { setConversations } from './setConversations';

export interface ConversationRouteDeps {
  conversations: ConversationStore;
  notifier: MessageNotifier;
  send: SendService;
}

/** The fields of ConversationReq that set_conversations changes; wrapped values are `{value}`. */
function patchOf(c: Fields): ConversationPatch {
  const patch: ConversationPatch = {};
  const num = (k: keyof ConversationPatch): void => {
    const v = optWrapped(c, k);
    if (typeof v === 'number') (patch as Record<string, unknown>)[k] = v;
  };
  const bool = (k: keyof ConversationPatch): void => {
    const v = optWrapped(c, k);
    if (typeof v === 'boolean') (patch as Record<string, unknown>)[k] = v;
  };
  const str = (k: keyof ConversationPatch): void => {
    const v = optWrapped(c, k);
    if (typeof v === 'string') (patch as Record<string, unknown>)[k] = v;
  };
  num('recvMsgOpt');
  bool('isPinned');
  str('attachedInfo');
  bool('isPrivateChat');
  num('groupAtType');
  str('ex');
  num('burnDuration');
  num('minSeq');
  num('maxSeq');
  num('msgDestructTime');
  bool('isMsgDestruct');
  return patch;
}

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
    for (const userID of userIDs) checkAccess(req, userID);
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
    checkAccess(req, userID);
    return conversations.incremental(userID, optNumber(body, 'version'), optString(body, 'versionID'));
  });

  routes.set('/conversation/get_full_conversation_ids', (req) => {
    const body = asObject(req.body);
    const userID = reqString(body, 'userID');
    checkAccess(req, userID);
    const inc = conversations.incremental(userID, 0, '');
    const ids = conversations.list(userID).map((x) => x.conversationID);
    const equal = optNumber(body, 'idHash') === idHash(ids);
    return { version: inc.version, versionID: inc.versionID, equal, conversationIDs: equal ? [] : ids };
  });

  routes.set('/conversation/get_not_notify_conversation_ids', (req) => {
    const userID = reqString(asObject(req.body), 'userID');
    checkAccess(req, userID);
    return { conversationIDs: conversations.list(userID).filter((x) => x.recvMsgOpt !== 0).map((x) => x.conversationID) };
  });

  routes.set('/conversation/get_pinned_conversation_ids', (req) => {
    const userID = reqString(asObject(req.body), 'userID');
    checkAccess(req, userID);
    return { conversationIDs: conversations.list(userID).filter((x) => x.isPinned).map((x) => x.conversationID) };
  });

  routes.set('/conversation/get_all_conversations', (req) => {
    const owner = reqString(asObject(req.body), 'ownerUserID');
    checkAccess(req, owner);
    return { conversations: conversations.list(owner) };
  });

  routes.set('/conversation/get_conversations', (req) => {
    const body = asObject(req.body);
    const owner = reqString(body, 'ownerUserID');
    checkAccess(req, owner);
    const ids = optStringArray(body, 'conversationIDs');
    return { conversations: ids.map((id) => conversations.get(owner, id)).filter((x) => x !== undefined) };
  });

  routes.set('/conversation/get_conversation', (req) => {
    const body = asObject(req.body);
    const owner = reqString(body, 'ownerUserID');
    checkAccess(req, owner);
    return { conversation: conversations.get(owner, reqString(body, 'conversationID')) };
  });

  return routes;
}
