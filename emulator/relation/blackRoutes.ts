/** The blacklist: /friend/*black* (internal/rpc/relation/black.go). */
import type { RouteTable } from '../api/contract';
import { checkAccess, checkUsersExist } from './access';
import { apiError, argsError, ErrCode } from './errors';
import { page, readPagination } from './pagination';
import { check, NO_FIELDS, route } from './routeKit';
import { hasDuplicates, optString, optStringArray } from '../http/validate';
import { blackInfoPb } from './views';
import type { FriendRouteDeps } from './friendRoutes';

/** The blacklist routes need what the friend routes need. */
export type BlackRouteDeps = FriendRouteDeps;

export function addBlackRoutes(table: RouteTable, d: BlackRouteDeps): void {
  const { store, users, notify } = d;

  route(table, '/friend/add_black', (req, body) => {
    const ownerUserID = optString(body, 'ownerUserID');
    const blackUserID = optString(body, 'blackUserID');
    check(ownerUserID !== '', 'ownerUserID is empty');
    check(blackUserID !== '', 'blackUserID is empty');
    checkAccess(req, ownerUserID);
    checkUsersExist(users, [ownerUserID, blackUserID]);
    const added = store.addBlack({
      ownerUserID,
      blockUserID: blackUserID,
      operatorUserID: req.opUserID,
      createTime: d.now(),
      addSource: 0,
      ex: optString(body, 'ex'),
    });
    if (!added) throw apiError(ErrCode.DuplicateKey, 'black already exists');
    notify.blackAdded(req.operationID, ownerUserID, blackUserID);
    return NO_FIELDS;
  });

  route(table, '/friend/remove_black', (req, body) => {
    const ownerUserID = optString(body, 'ownerUserID');
    const blackUserID = optString(body, 'blackUserID');
    check(ownerUserID !== '', 'ownerUserID is empty');
    check(blackUserID !== '', 'blackUserID is empty');
    checkAccess(req, ownerUserID);
    store.removeBlack(ownerUserID, blackUserID);
    notify.blackDeleted(req.operationID, ownerUserID, blackUserID);
    return NO_FIELDS;
  });

  route(table, '/friend/get_black_list', (req, body) => {
    const userID = optString(body, 'userID');
    const pagination = readPagination(body);
    check(userID !== '', 'userID is empty');
    check(pagination !== undefined, 'pagination is empty');
    check((pagination?.pageNumber ?? 0) >= 1, 'pageNumber is invalid');
    checkAccess(req, userID);
    const all = store.blacksOf(userID);
    return { blacks: page(all, pagination).map((b) => blackInfoPb(users, b, 'seconds')), total: all.length };
  });

  route(table, '/friend/get_specified_blacks', (req, body) => {
    const ownerUserID = optString(body, 'ownerUserID');
    const userIDList = optStringArray(body, 'userIDList');
    checkAccess(req, ownerUserID);
    if (userIDList.length === 0) throw argsError('userIDList is empty');
    if (hasDuplicates(userIDList)) throw argsError('userIDList repeated');
    const blacks = userIDList
      .map((id) => store.black(ownerUserID, id))
      .filter((b) => b !== undefined)
      .map((b) => blackInfoPb(users, b, 'milliseconds'));
    return { blacks, total: blacks.length };
  });

  route(table, '/friend/is_black', (_req, body) => {
    const userID1 = optString(body, 'userID1');
    const userID2 = optString(body, 'userID2');
    check(userID1 !== '', 'userID1 is empty');
    check(userID2 !== '', 'userID2 is empty');
    return { inUser1Blacks: store.black(userID1, userID2) !== undefined, inUser2Blacks: store.black(userID2, userID1) !== undefined };
  });
}
