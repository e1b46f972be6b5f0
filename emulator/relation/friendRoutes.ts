/** Friend applications and friendships: /friend/* (internal/rpc/relation/friend.go). */
import type { RouteTable } from '../api/contract';
import { checkAccess, checkAdmin, checkUsersExist } from './access';
import { apiError, argsError, ErrCode } from './errors';
import type { FriendNotifications } from './friendNotifications';
import { page, readPagination } from './pagination';
import { BecomeFriendBy, FriendResponse, type RelationStore } from './relationStore';
import { check, NO_FIELDS, PARAM_MAX_LENGTH, route } from './routeKit';
import { hasDuplicates, optNumberArray, optNumber, optString, optStringArray, wrapped } from '../http/validate';
import { friendInfoPb, friendRequestPb } from './views';
import type { UserDirectory } from '../api/contract';

export interface FriendRouteDeps {
  store: RelationStore;
  users: UserDirectory;
  notify: FriendNotifications;
  now: () => number;
  /** profile.ts friendRequestHandledCode (controller/friend.go RefuseFriendRequest). */
  friendRequestHandledCode?: 1305 | 500;
}

export function addFriendRoutes(table: RouteTable, d: FriendRouteDeps): void {
  const { store, users, notify } = d;

  route(table, '/friend/add_friend', (req, body) => {
    const fromUserID = optString(body, 'fromUserID');
    const toUserID = optString(body, 'toUserID');
    check(toUserID !== '', 'toUserID is empty');
    check(fromUserID !== '', 'fromUserID is empty');
    checkAccess(req, fromUserID);
    if (fromUserID === toUserID) throw apiError(ErrCode.CanNotAddYourself, `req.ToUserID ${toUserID}`);
    checkUsersExist(users, [toUserID, fromUserID]);
    if (store.friend(fromUserID, toUserID) && store.friend(toUserID, fromUserID)) {
      throw apiError(ErrCode.RelationshipAlready, 'already friends has f');
    }
    store.putRequest(fromUserID, toUserID, optString(body, 'reqMsg'), optString(body, 'ex'));
    notify.applicationAdded(req.operationID, fromUserID, toUserID);
    return NO_FIELDS;
  });

  route(table, '/friend/add_friend_response', (req, body) => {
    const fromUserID = optString(body, 'fromUserID');
    const toUserID = optString(body, 'toUserID');
    const handleResult = optNumber(body, 'handleResult');
    const handleMsg = optString(body, 'handleMsg');
    check(toUserID !== '', 'toUserID is empty');
    check(fromUserID !== '', 'fromUserID is empty');
    checkAccess(req, toUserID);
    if (handleResult === FriendResponse.Agree) {
      const r = store.request(fromUserID, toUserID);
      if (!r) throw apiError(ErrCode.RecordNotFound, 'friend request not found');
      if (r.handleResult !== FriendResponse.NotHandle) throw argsError('the friend request has been processed');
      const now = d.now();
      Object.assign(r, { handlerUserID: req.opUserID, handleResult: FriendResponse.Agree, handleTime: now });
      if (handleMsg !== '') r.handleMsg = handleMsg;
      const reverse = store.request(toUserID, fromUserID);
      if (reverse && reverse.handleResult === FriendResponse.NotHandle) {
        Object.assign(reverse, { handlerUserID: req.opUserID, handleResult: FriendResponse.Agree, handleTime: now });
      }
      store.addFriends([
        { ownerUserID: toUserID, friendUserID: fromUserID, addSource: BecomeFriendBy.Apply, operatorUserID: fromUserID },
        { ownerUserID: fromUserID, friendUserID: toUserID, addSource: BecomeFriendBy.Apply, operatorUserID: fromUserID },
      ]);
      notify.applicationApproved(req.operationID, fromUserID, toUserID, handleMsg, true);
      return NO_FIELDS;
    }
    if (handleResult === FriendResponse.Refuse) {
      const r = store.request(fromUserID, toUserID);
      if (!r) throw apiError(ErrCode.RecordNotFound, 'friend request not found');
      if (r.handleResult !== FriendResponse.NotHandle) {
        // controller/friend.go RefuseFriendRequest: ErrFriendRequestHandled from v3.8.3-patch.16,
        // a plain fmt.Errorf (→ 500 with Go's text as the detail) before.
        if (d.friendRequestHandledCode === 500) throw apiError(ErrCode.ServerInternal, `friend request from ${fromUserID} to ${toUserID} has already been processed`);
        throw apiError(ErrCode.FriendRequestHandled, 'friend request has already been processed');
      }
      r.handleResult = FriendResponse.Refuse;
      r.handleTime = d.now();
      if (handleMsg !== '') r.handleMsg = handleMsg;
      notify.applicationRejected(req.operationID, fromUserID, toUserID, handleMsg);
      return NO_FIELDS;
    }
    throw argsError('req.HandleResult != -1/1');
  });

  route(table, '/friend/delete_friend', (req, body) => {
    const ownerUserID = optString(body, 'ownerUserID');
    const friendUserID = optString(body, 'friendUserID');
    check(ownerUserID !== '', 'userID1 is empty');
    check(friendUserID !== '', 'userID2 is empty');
    checkAccess(req, ownerUserID);
    // The real server looks the friendship up first (FindFriendsWithError): not a friend is "not found".
    if (!store.friend(ownerUserID, friendUserID)) throw apiError(ErrCode.RecordNotFound, 'friend not found');
    store.deleteFriends(ownerUserID, [friendUserID]);
    notify.friendDeleted(req.operationID, ownerUserID, friendUserID);
    return NO_FIELDS;
  });

  route(table, '/friend/set_friend_remark', (req, body) => {
    const ownerUserID = optString(body, 'ownerUserID');
    const friendUserID = optString(body, 'friendUserID');
    check(ownerUserID !== '', 'ownerUserID is empty');
    check(friendUserID !== '', 'fromUserID is empty');
    checkAccess(req, ownerUserID);
    // The real update insists on a matching row: a remark for a non-friend is "not found".
    if (!store.friend(ownerUserID, friendUserID)) throw apiError(ErrCode.RecordNotFound, 'mongo update not matched');
    store.updateFriends(ownerUserID, [friendUserID], { remark: optString(body, 'remark') });
    notify.remarkSet(req.operationID, ownerUserID, friendUserID);
    return NO_FIELDS;
  });

  route(table, '/friend/update_friends', (req, body) => {
    const ownerUserID = optString(body, 'ownerUserID');
    const friendUserIDs = optStringArray(body, 'friendUserIDs');
    check(ownerUserID !== '', 'ownerUserID is empty');
    check(body.friendUserIDs !== undefined && body.friendUserIDs !== null, 'friendUserIDs is empty');
    check(friendUserIDs.length <= PARAM_MAX_LENGTH, 'too many FriendUserIDs, need to be less than 1000');
    if (friendUserIDs.length === 0) throw argsError('friendIDList is empty');
    if (hasDuplicates(friendUserIDs)) throw argsError('friendIDList repeated');
    checkAccess(req, ownerUserID);
    store.updateFriends(ownerUserID, friendUserIDs, {
      isPinned: wrapped(body, 'isPinned', 'boolean'),
      remark: wrapped(body, 'remark', 'string'),
      ex: wrapped(body, 'ex', 'string'),
    });
    notify.friendsInfoUpdated(req.operationID, ownerUserID, friendUserIDs);
    return NO_FIELDS;
  });

  route(table, '/friend/import_friend', (req, body) => {
    checkAdmin(req);
    const ownerUserID = optString(body, 'ownerUserID');
    const friendUserIDs = optStringArray(body, 'friendUserIDs');
    check(ownerUserID !== '', 'ownerUserID is empty');
    check(body.friendUserIDs !== undefined && body.friendUserIDs !== null, 'friendUserIDS is empty');
    check(friendUserIDs.length <= PARAM_MAX_LENGTH, 'too many FriendUserIDs, need to be less than 1000');
    checkUsersExist(users, [ownerUserID, ...friendUserIDs]);
    if (friendUserIDs.includes(ownerUserID)) throw apiError(ErrCode.CanNotAddYourself, 'can not add yourself');
    if (hasDuplicates(friendUserIDs)) throw argsError('friend userID repeated');
    store.addFriends(
      friendUserIDs.flatMap((id) => [
        { ownerUserID, friendUserID: id, addSource: BecomeFriendBy.Import, operatorUserID: req.opUserID },
        { ownerUserID: id, friendUserID: ownerUserID, addSource: BecomeFriendBy.Import, operatorUserID: req.opUserID },
      ]),
    );
    for (const id of friendUserIDs) notify.applicationApproved(req.operationID, ownerUserID, id, '', false);
    return NO_FIELDS;
  });

  route(table, '/friend/is_friend', (_req, body) => {
    const userID1 = optString(body, 'userID1');
    const userID2 = optString(body, 'userID2');
    check(userID1 !== '', 'userID1 is empty');
    check(userID2 !== '', 'userID2 is empty');
    return { inUser1Friends: store.friend(userID1, userID2) !== undefined, inUser2Friends: store.friend(userID2, userID1) !== undefined };
  });

  route(table, '/friend/get_friend_list', (req, body) => {
    const userID = optString(body, 'userID');
    const pagination = readPagination(body);
    check(pagination !== undefined, 'pagination is empty');
    check((pagination?.pageNumber ?? 0) >= 1, 'pageNumber is invalid');
    check(userID !== '', 'userID is empty');
    checkAccess(req, userID);
    const all = store.friendsOf(userID);
    return { friendsInfo: page(all, pagination).map((f) => friendInfoPb(users, f)), total: all.length };
  });

  route(table, '/friend/get_friend_id', (req, body) => {
    const userID = optString(body, 'userID');
    check(userID !== '', 'userID is empty');
    checkAccess(req, userID);
    return { friendIDs: store.friendIDs(userID) };
  });

  route(table, '/friend/get_designated_friends', (req, body) => {
    const ownerUserID = optString(body, 'ownerUserID');
    const friendUserIDs = optStringArray(body, 'friendUserIDs');
    check(ownerUserID !== '', 'ownerUserID is empty');
    check(body.friendUserIDs !== undefined && body.friendUserIDs !== null, 'friendUserIDS is empty');
    if (hasDuplicates(friendUserIDs)) throw argsError('friend userID repeated');
    checkAccess(req, ownerUserID);
    return { friendsInfo: designatedFriends(d, ownerUserID, friendUserIDs) };
  });

  route(table, '/friend/get_specified_friends_info', (req, body) => {
    const ownerUserID = optString(body, 'ownerUserID');
    const userIDList = optStringArray(body, 'userIDList');
    check(ownerUserID !== '', 'ownerUserID is empty');
    check(userIDList.length <= PARAM_MAX_LENGTH, 'too many UserIDs, need to be less than 1000');
    if (userIDList.length === 0) throw argsError('userIDList is empty');
    if (hasDuplicates(userIDList)) throw argsError('userIDList repeated');
    checkAccess(req, ownerUserID);
    const infos = userIDList
      .filter((id) => users.exists(id))
      .map((id) => {
        const f = store.friend(ownerUserID, id);
        const b = store.black(ownerUserID, id);
        return {
          userInfo: { ...users.get(id)! },
          friendInfo: f
            ? { ownerUserID: f.ownerUserID, remark: f.remark, createTime: f.createTime, addSource: f.addSource, operatorUserID: f.operatorUserID, ex: f.ex, isPinned: f.isPinned }
            : null,
          blackInfo: b ? { ownerUserID: b.ownerUserID, createTime: b.createTime, addSource: b.addSource, operatorUserID: b.operatorUserID, ex: b.ex } : null,
        };
      });
    return { infos };
  });

  route(table, '/friend/get_designated_friend_apply', (_req, body) => {
    const fromUserID = optString(body, 'fromUserID');
    const toUserID = optString(body, 'toUserID');
    check(fromUserID !== '', 'ownerUserID is empty');
    check(toUserID !== '', 'toUserID is empty');
    return { friendRequests: store.requestsBetween(fromUserID, toUserID).map((r) => friendRequestPb(users, r)) };
  });

  /** The two application lists differ only in which side the user is on and the reply's key. */
  const applyList = (path: string, side: 'toUserID' | 'fromUserID', replyKey: string) =>
    route(table, path, (req, body) => {
      const userID = optString(body, 'userID');
      const pagination = readPagination(body);
      check(userID !== '', 'userID is empty');
      check(pagination !== undefined, 'pagination is empty');
      check((pagination?.pageNumber ?? 0) >= 1, 'pageNumber is invalid');
      checkAccess(req, userID);
      const all = store.requestsWhere((r) => r[side] === userID, optNumberArray(body, 'handleResults'));
      return { [replyKey]: page(all, pagination).map((r) => friendRequestPb(users, r)), total: all.length };
    });
  // The real reply to the received list names it with a capital F (its protobuf field is `FriendRequests`).
  applyList('/friend/get_friend_apply_list', 'toUserID', 'FriendRequests');
  applyList('/friend/get_self_friend_apply_list', 'fromUserID', 'friendRequests');

  route(table, '/friend/get_self_unhandled_apply_count', (req, body) => {
    const userID = optString(body, 'userID');
    checkAccess(req, userID);
    const since = optNumber(body, 'time');
    const count = store.requestsWhere((r) => r.toUserID === userID && r.createTime > since, [FriendResponse.NotHandle]).length;
    return { count };
  });
}

/** getFriend: only the IDs that are friends, in the owner's friend order. */
export function designatedFriends(d: Pick<FriendRouteDeps, 'store' | 'users'>, ownerUserID: string, friendUserIDs: string[]): object[] {
  if (friendUserIDs.length === 0) return [];
  const wanted = new Set(friendUserIDs);
  return d.store
    .friendsOf(ownerUserID)
    .filter((f) => wanted.has(f.friendUserID))
    .map((f) => friendInfoPb(d.users, f));
}
