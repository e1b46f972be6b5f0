/** Join requests: apply, answer, and the application lists (internal/rpc/group/group.go). */
import type { RouteTable } from '../api/contract';
import { checkUsersExist } from '../relation/access';
import { apiError, argsError, ErrCode, noPermission } from '../relation/errors';
import { page, readPagination } from '../relation/pagination';
import { check, NO_FIELDS, PARAM_MAX_LENGTH, route } from '../relation/routeKit';
import { optNumberArray, optNumber, optString, optStringArray } from '../http/validate';
import { checkGroupAdmin, checkNotDismissed, isManager, takeGroup, takeMember } from './groupAccess';
import type { GroupRouteDeps } from './groupRoutes';
import { GroupResponse, JoinSource, RoleLevel, Verification, type GroupRequestRecord } from './groupStore';

export function addApplicationRoutes(table: RouteTable, d: GroupRouteDeps): void {
  const { store, views, notify, users } = d;

  // The applicant is `inviterUserID` (the client SDK puts itself there), and the real server
  // does not check it against the token.
  route(table, '/group/join_group', (req, body) => {
    const groupID = optString(body, 'groupID');
    const joinSource = optNumber(body, 'joinSource');
    const applicantID = optString(body, 'inviterUserID');
    const reqMessage = optString(body, 'reqMessage');
    check(groupID !== '', 'groupID is empty');
    check(joinSource >= JoinSource.Admin && joinSource <= JoinSource.QRCode, 'joinSource is invalid');
    check(joinSource !== JoinSource.Invitation || applicantID !== '', 'inviterUserID is empty');
    if (!users.exists(applicantID)) throw apiError(ErrCode.UserIDNotFound, `user ${applicantID} not found`);
    const group = takeGroup(store, groupID);
    checkNotDismissed(group);
    if (store.member(groupID, applicantID)) throw argsError('already in group');
    const now = d.now();
    if (group.needVerification === Verification.Directly) {
      store.addMembers([
        {
          groupID,
          userID: applicantID,
          nickname: '',
          faceURL: '',
          roleLevel: RoleLevel.Member,
          joinTime: now,
          joinSource: 0,
          inviterUserID: applicantID,
          operatorUserID: req.opUserID,
          muteEndTime: 0,
          ex: '',
        },
      ]);
      notify.memberEnter(req, groupID, applicantID, now);
      return NO_FIELDS;
    }
    store.putRequest({
      groupID,
      userID: applicantID,
      handleResult: GroupResponse.NotHandled,
      reqMsg: reqMessage,
      handledMsg: '',
      reqTime: now,
      handleUserID: '',
      handledTime: 0,
      joinSource,
      inviterUserID: '',
      ex: optString(body, 'ex'),
    });
    notify.joinApplication(req, groupID, applicantID, applicantID, reqMessage);
    return NO_FIELDS;
  });

  route(table, '/group/group_application_response', (req, body) => {
    const groupID = optString(body, 'groupID');
    const fromUserID = optString(body, 'fromUserID');
    const handleResult = optNumber(body, 'handleResult');
    const handledMsg = optString(body, 'handledMsg');
    check(groupID !== '', 'groupID is empty');
    check(fromUserID !== '', 'fromUserID is empty');
    check(handleResult >= GroupResponse.Refuse && handleResult <= GroupResponse.Agree, 'handleResult is invalid');
    if (handleResult !== GroupResponse.Agree && handleResult !== GroupResponse.Refuse) throw argsError('HandleResult unknown');
    if (!req.isAdmin && !isManager(takeMember(store, groupID, req.opUserID))) throw noPermission('no group owner or admin');
    takeGroup(store, groupID);
    const request = store.request(groupID, fromUserID);
    if (!request) throw apiError(ErrCode.RecordNotFound, 'group request not found');
    if (request.handleResult !== GroupResponse.NotHandled) throw apiError(ErrCode.GroupRequestHandled, 'group request already processed');
    const inGroup = store.member(groupID, fromUserID) !== undefined;
    checkUsersExist(users, [fromUserID]);
    // Only these two fields change: the real update leaves the handler and handle time unset.
    request.handledMsg = handledMsg;
    request.handleResult = handleResult;
    const joins = !inGroup && handleResult === GroupResponse.Agree;
    const now = d.now();
    if (joins) {
      store.addMembers([
        {
          groupID,
          userID: fromUserID,
          nickname: '',
          faceURL: '',
          roleLevel: RoleLevel.Member,
          joinTime: now,
          joinSource: request.joinSource,
          inviterUserID: request.inviterUserID,
          operatorUserID: req.opUserID,
          muteEndTime: 0,
          ex: '',
        },
      ]);
    }
    notify.applicationHandled(req, groupID, fromUserID, handledMsg, handleResult === GroupResponse.Agree);
    if (joins) {
      if (request.inviterUserID === '') notify.memberEnter(req, groupID, fromUserID, now);
      else notify.memberInvited(req, groupID, request.inviterUserID, [fromUserID]);
    }
    return NO_FIELDS;
  });

  // Requests to the groups the user manages (or to `groupIDs`, which the op user must manage).
  route(table, '/group/get_recv_group_applicationList', (req, body) => {
    const fromUserID = optString(body, 'fromUserID');
    const pagination = readPagination(body);
    check(pagination !== undefined, 'pagination is empty');
    check((pagination?.pageNumber ?? 0) >= 1, 'pageNumber is invalid');
    check(fromUserID !== '', 'fromUserID is empty');
    let groupIDs = [...new Set(optStringArray(body, 'groupIDs'))];
    if (groupIDs.length === 0) groupIDs = store.managedGroupIDs(fromUserID);
    else if (!req.isAdmin) for (const groupID of groupIDs) checkGroupAdmin(req, store, groupID);
    if (groupIDs.length === 0) return { total: 0 };
    const all = store.requestsWhere((r) => groupIDs.includes(r.groupID), optNumberArray(body, 'handleResults'));
    const items = page(all, pagination);
    if (items.length === 0) return { total: all.length };
    const missing = groupIDs.filter((id) => !store.group(id));
    if (missing.length > 0) throw apiError(ErrCode.GroupIDNotFound, missing.join(','));
    return { total: all.length, groupRequests: items.map((r) => views.request(r)) };
  });

  route(table, '/group/get_user_req_group_applicationList', (_req, body) => {
    const userID = optString(body, 'userID');
    const pagination = readPagination(body);
    check(userID !== '', 'UserID is empty');
    check(pagination !== undefined, 'pagination is empty');
    check((pagination?.pageNumber ?? 0) >= 1, 'pageNumber is invalid');
    if (!users.exists(userID)) throw apiError(ErrCode.UserIDNotFound, `user ${userID} not found`);
    const groupIDs = optStringArray(body, 'groupIDs');
    const all = store.requestsWhere((r) => r.userID === userID && (groupIDs.length === 0 || groupIDs.includes(r.groupID)), optNumberArray(body, 'handleResults'));
    return { total: all.length, groupRequests: page(all, pagination).map((r) => views.request(r)) };
  });

  route(table, '/group/get_specified_user_group_request_info', (req, body) => {
    const groupID = optString(body, 'groupID');
    const userID = optString(body, 'userID');
    const owner = store.owner(groupID);
    if (!owner) throw apiError(ErrCode.RecordNotFound, `group ${groupID} owner not found`);
    if (userID !== req.opUserID && !req.isAdmin) {
      const managers = store.membersOf(groupID).filter((m) => m.roleLevel === RoleLevel.Admin || m.roleLevel === RoleLevel.Owner);
      if (!managers.some((m) => m.userID === req.opUserID)) throw noPermission('opUser no permission');
    }
    const request = store.request(groupID, userID);
    if (!request) return { total: 0 };
    return { total: 1, groupRequests: [views.request(request)] };
  });

  route(table, '/group/get_group_users_req_application_list', (req, body) => {
    const groupID = optString(body, 'groupID');
    const userIDs = optStringArray(body, 'userIDs');
    check(groupID !== '', 'GroupID is empty');
    check(body.userIDs !== undefined && body.userIDs !== null, 'UserID is empty');
    check(userIDs.length <= PARAM_MAX_LENGTH, 'too many UserIDs, need to be less than 1000');
    checkGroupAdmin(req, store, groupID);
    const found = userIDs.map((id) => store.request(groupID, id)).filter((r): r is GroupRequestRecord => r !== undefined);
    return { total: found.length, groupRequests: found.map((r) => views.request(r)) };
  });

  route(table, '/group/get_group_application_unhandled_count', (req, body) => {
    const userID = optString(body, 'userID');
    if (!req.isAdmin && req.opUserID !== userID) throw noPermission(`opUserID ${req.opUserID} is not ${userID}`);
    const since = optNumber(body, 'time');
    const managed = store.managedGroupIDs(userID);
    const count = store.requestsWhere((r) => managed.includes(r.groupID) && r.reqTime > since, [GroupResponse.NotHandled]).length;
    return { count };
  });
}
