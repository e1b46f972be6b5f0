/** /msg/* routes of the real api service. */
import type { RouteTable } from '../api/contract';
import type { ConversationStore } from '../conversation/conversationStore';
import { argsError, noPermission, recordNotFound } from '../errors';
import { asObject, isNil, optBool, optNumber, optNumberArray, optObject, optString, optStringArray, reqString } from '../http/validate';
import type { Fields } from '../http/validate';
import type { ConversationRecord } from '../conversation/conversationStore';
import { adminMsgData } from './adminMessage';
import { checkAccess } from './access';
import { goMap, NIL_MAP } from '../http/goJson';
import { revokeHandler, type RevokeDeps } from './revokeRoute';
import { ContentType, SessionType } from './constants';
import type { SyncService } from './syncService';

export interface MsgRouteDeps extends RevokeDeps {
  sync: SyncService;
  conversations: ConversationStore;
  /** Release switch (profile.ts clearSetsConversationMinSeq): clearing for oneself also runs the conversation rpc's SetConversationMinSeq. */
  clearSetsConversationMinSeq: boolean;
}

/** msg.DeleteSyncOpt; absent means neither. */
function deleteSyncOpt(body: Fields): { isSyncSelf: boolean; isSyncOther: boolean } {
  const opt = optObject(body, 'deleteSyncOpt');
  return { isSyncSelf: (opt && optBool(opt, 'isSyncSelf')) === true, isSyncOther: (opt && optBool(opt, 'isSyncOther')) === true };
}

/** protocol/constant BusinessNotification. */
const BUSINESS_NOTIFICATION = 2001;

export function msgRoutes(deps: MsgRouteDeps): RouteTable {
  const routes: RouteTable = new Map();
  const notifySelf = (userID: string, contentType: number, detail: object): void => {
    deps.send.send(deps.notifier.build(userID, userID, '', SessionType.Single, contentType, detail));
  };
  /**
   * NotificationWithSessionType to the other side of a record (server.go conversationAndGetRecvID:
   * the group; for a single chat the record's peer when `userID` owns it, else its owner).
   */
  const notifyConversation = (userID: string, c: ConversationRecord, contentType: number, detail: object): void => {
    const isGroup = c.conversationType === SessionType.ReadGroup;
    const recvID = userID === c.ownerUserID ? c.userID : c.ownerUserID;
    deps.send.send(deps.notifier.build(userID, isGroup ? '' : recvID, isGroup ? c.groupID : '', c.conversationType, contentType, detail));
  };

  routes.set('/msg/send_msg', (req) => {
    if (!req.isAdmin) throw noPermission('only app manager can send message');
    const body = asObject(req.body);
    const stored = deps.send.send(adminMsgData(body, optString(body, 'recvID'), deps.users));
    return stored ? { serverMsgID: stored.serverMsgID, clientMsgID: stored.clientMsgID, sendTime: stored.sendTime } : undefined;
  });

  // api/msg.go SendBusinessNotification: a BusinessNotification (2001) whose detail is {key, data}.
  routes.set('/msg/send_business_notification', (req) => {
    if (!req.isAdmin) throw noPermission('only app manager can send message');
    const body = asObject(req.body);
    const sendUserID = reqString(body, 'sendUserID');
    const recvUserID = optString(body, 'recvUserID');
    const recvGroupID = optString(body, 'recvGroupID');
    if (!recvUserID && !recvGroupID) throw argsError('recvUserID and recvGroupID cannot be empty at the same time');
    if (recvUserID && recvGroupID) throw argsError('recvUserID and recvGroupID cannot be set at the same time');
    const sessionType = recvUserID ? SessionType.Single : SessionType.ReadGroup;
    const detail = { key: optString(body, 'key'), data: optString(body, 'data') };
    const stored = deps.send.send(deps.notifier.build(sendUserID, recvUserID, recvGroupID, sessionType, BUSINESS_NOTIFICATION, detail));
    return stored ? { serverMsgID: stored.serverMsgID, clientMsgID: stored.clientMsgID, sendTime: stored.sendTime } : undefined;
  });

  routes.set('/msg/batch_send_msg', (req) => {
    if (!req.isAdmin) throw noPermission('only app manager can send message');
    const body = asObject(req.body);
    const recvIDs = optStringArray(body, 'recvIDs');
    if (optBool(body, 'isSendAll') === true) throw argsError('isSendAll is not emulated');
    if (recvIDs.length === 0) throw argsError('recvIDs is empty');
    const results: object[] = [];
    const failedUserIDs: string[] = [];
    for (const recvID of recvIDs) {
      try {
        const stored = deps.send.send(adminMsgData(body, recvID, deps.users));
        results.push({ serverMsgID: stored?.serverMsgID, clientMsgID: stored?.clientMsgID, sendTime: stored?.sendTime, recvID });
      } catch {
        failedUserIDs.push(recvID);
      }
    }
    return { results, failedUserIDs };
  });

  routes.set('/msg/revoke_msg', revokeHandler(deps));

  /** DeleteMsgs: for oneself (notified to one's devices with isSyncSelf) or, with isSyncOther, for everyone. */
  routes.set('/msg/delete_msgs', (req) => {
    const body = asObject(req.body);
    const userID = reqString(body, 'userID');
    const conversationID = reqString(body, 'conversationID');
    // DeleteMsgsReq.Check: a nil seqs list is an ArgsError (an empty one is not).
    if (isNil(body, 'seqs')) throw argsError('seqs is empty');
    const seqs = optNumberArray(body, 'seqs');
    checkAccess(req, userID);
    const sync = deleteSyncOpt(body);
    const tips = { userID, conversationID, seqs };
    if (sync.isSyncOther) {
      const conversation = deps.conversations.get(userID, conversationID);
      if (!conversation) throw recordNotFound('conversation not found');
      deps.messages.deleteForEveryone(conversationID, seqs);
      notifyConversation(userID, conversation, ContentType.DeleteMsgs, tips);
    } else {
      deps.messages.deleteForUser(userID, conversationID, seqs);
      if (sync.isSyncSelf) notifySelf(userID, ContentType.DeleteMsgs, tips);
    }
    return {};
  });

  /**
   * delete.go clearConversation. The conversations come from GetConversationsByConversationIDs,
   * every owner's record of them, so IDs repeat in the isSyncSelf tip and the isSyncOther tips go
   * once per record. For oneself: the user's min seqs past the max seqs, then (v3.8.3+)
   * SetConversationMinSeq per conversation: the record's min_seq and a ConversationChangeNotification.
   * For everyone: the conversation min seqs. Then the read seqs to the max.
   */
  const clear = (userID: string, conversationIDs: string[], body: Fields): void => {
    const sync = deleteSyncOpt(body);
    const records = deps.conversations.recordsOf(conversationIDs);
    const ids = [...new Set(records.map((c) => c.conversationID))];
    const maxSeqs = new Map(ids.map((id) => [id, deps.messages.maxSeq(id)]));
    if (!sync.isSyncOther) {
      const minSeqs = new Map(ids.map((id) => [id, deps.messages.clearForUser(userID, id)]));
      if (deps.clearSetsConversationMinSeq) {
        for (const [id, minSeq] of minSeqs) {
          deps.conversations.update(userID, id, { minSeq });
          deps.notifier.conversationChanged(userID, [id]);
        }
      }
      if (sync.isSyncSelf) notifySelf(userID, ContentType.ClearConversation, { userID, conversationIDs: records.map((c) => c.conversationID) });
    } else {
      for (const id of ids) deps.messages.clearForEveryone(id);
      for (const c of records) notifyConversation(userID, c, ContentType.ClearConversation, { userID, conversationIDs: [c.conversationID] });
    }
    for (const [id, maxSeq] of maxSeqs) deps.messages.setHasReadSeq(userID, id, maxSeq);
  };

  routes.set('/msg/clear_conversation_msg', (req) => {
    const body = asObject(req.body);
    const userID = reqString(body, 'userID');
    // ClearConversationsMsgReq.Check: a nil conversationIDs list is an ArgsError.
    if (isNil(body, 'conversationIDs')) throw argsError('conversationIDs is empty');
    checkAccess(req, userID);
    clear(userID, optStringArray(body, 'conversationIDs'), body);
    return {};
  });

  routes.set('/msg/user_clear_all_msg', (req) => {
    const body = asObject(req.body);
    const userID = reqString(body, 'userID');
    checkAccess(req, userID);
    clear(userID, deps.conversations.list(userID).map((c) => c.conversationID), body);
    return {};
  });

  routes.set('/msg/mark_conversation_as_read', (req) => {
    const body = asObject(req.body);
    const userID = reqString(body, 'userID');
    const conversationID = reqString(body, 'conversationID');
    const reqSeqs = optNumberArray(body, 'seqs');
    const reqHasReadSeq = optNumber(body, 'hasReadSeq');
    // MarkConversationAsReadReq.Check: hasReadSeq below 1 or a 0 in seqs is an ArgsError.
    if (reqHasReadSeq < 1) throw argsError('hasReadSeq is invalid');
    if (reqSeqs.includes(0)) throw argsError('seqs has 0 value is invalid');
    // as_read.go MarkConversationAsRead does no access check: any user may mark for another.
    const conversation = deps.conversations.get(userID, conversationID);
    if (!conversation) throw recordNotFound('conversation not found');
    let hasReadSeq = deps.messages.hasReadSeq(userID, conversationID);
    if (conversation.conversationType === SessionType.Single) {
      const seqs: number[] = [];
      for (let s = hasReadSeq + 1; s <= reqHasReadSeq; s++) seqs.push(s);
      for (const s of reqSeqs) if (!seqs.includes(s)) seqs.push(s);
      deps.messages.markRead(conversationID, seqs);
      if (reqHasReadSeq > hasReadSeq) {
        deps.messages.setHasReadSeq(userID, conversationID, reqHasReadSeq);
        hasReadSeq = reqHasReadSeq;
      }
      const tips = { markAsReadUserID: userID, conversationID, seqs, hasReadSeq };
      deps.send.send(deps.notifier.build(userID, conversation.userID, '', SessionType.Single, ContentType.HasReadReceipt, tips));
    } else if (conversation.conversationType === SessionType.ReadGroup || conversation.conversationType === SessionType.Notification) {
      if (reqHasReadSeq > hasReadSeq) {
        deps.messages.setHasReadSeq(userID, conversationID, reqHasReadSeq);
        hasReadSeq = reqHasReadSeq;
      }
      const tips = { markAsReadUserID: userID, conversationID, seqs: [], hasReadSeq };
      deps.send.send(deps.notifier.build(userID, userID, '', SessionType.Single, ContentType.HasReadReceipt, tips));
    }
    return {};
  });

  routes.set('/msg/get_conversations_has_read_and_max_seq', (req) => {
    const body = asObject(req.body);
    const userID = reqString(body, 'userID');
    // as_read.go GetConversationsHasReadAndMaxSeq does no access check either.
    return { seqs: goMap(deps.sync.hasReadAndMaxSeqs(userID, optStringArray(body, 'conversationIDs'))) };
  });

  routes.set('/msg/newest_seq', (req) => {
    const userID = reqString(asObject(req.body), 'userID');
    checkAccess(req, userID);
    // sync_msg.go GetMaxSeq sets only MaxSeqs (a made map); MinSeqs stays nil.
    return { maxSeqs: goMap(deps.sync.maxSeqs(userID).maxSeqs), minSeqs: NIL_MAP };
  });

  routes.set('/msg/get_server_time', () => ({ serverTime: deps.now() }));

  return routes;
}
