/** /user/* routes of the real api service that the client SDK and admins use. */
import type { ApiRequest, Notifier, RouteTable, UserRecord } from '../api/contract';
import { apiError, argsError, ErrCode, noPermission, recordNotFound } from '../errors';
import { asObject, optNumber, optObject, optString, optStringArray, reqString, wrapped as wrappedField } from '../http/validate';
import type { OnlineStatusService } from '../gateway/onlineStatus';
import type { ConnectionRegistry } from '../gateway/registry';
import { userInfoView } from './userStore';
import type { UserStore } from './userStore';

/** protocol/constant UserInfoUpdatedNotification. */
export const USER_INFO_UPDATED_NOTIFICATION = 1303;

export interface UserRouteDeps {
  users: UserStore;
  notifier: Notifier;
  online: OnlineStatusService;
  registry: ConnectionRegistry;
  now: () => number;
  /** Domains told when a nickname or face changed. */
  infoListeners: () => Array<{ onUserInfoUpdated?(userID: string, operationID: string): void }>;
}

export function userRoutes(deps: UserRouteDeps): RouteTable {
  const { users } = deps;
  const routes: RouteTable = new Map();

  routes.set('/user/user_register', (req) => {
    const body = asObject(req.body);
    if (!req.isAdmin) throw noPermission('only app manager can register users');
    const list = body.users;
    if (!Array.isArray(list) || list.length === 0) throw argsError('users is empty');
    const parsed = list.map((u) => {
      const o = asObject(u);
      const userID = optString(o, 'userID');
      if (userID === '') throw argsError('userID is empty');
      if (userID.includes(':')) throw argsError("userID contains ':' is invalid userID");
      return { userID, nickname: optString(o, 'nickname'), faceURL: optString(o, 'faceURL'), ex: optString(o, 'ex') };
    });
    if (new Set(parsed.map((u) => u.userID)).size !== parsed.length) throw argsError('userID repeated');
    if (parsed.some((u) => users.exists(u.userID))) throw apiError(ErrCode.RegisteredAlready, 'userID registered already');
    const createTime = deps.now();
    for (const u of parsed) users.add({ ...u, createTime, appMangerLevel: 0, globalRecvMsgOpt: 0 });
    return {};
  });

  routes.set('/user/get_users_info', (req) => {
    const userIDs = optStringArray(asObject(req.body), 'userIDs');
    if (userIDs.length === 0) throw argsError('userIDs is empty');
    const found = userIDs.map((id) => users.get(id)).filter((u) => u !== undefined);
    return { usersInfo: found.map(userInfoView) };
  });

  /** UserInfoUpdatedNotification from the operator to the user, then the domains when name or face changed. */
  const afterUpdate = (req: { opUserID: string; operationID: string }, userID: string, before: UserRecord, after: UserRecord | undefined): void => {
    deps.notifier.notifyUsers({
      sendID: req.opUserID,
      recvIDs: [userID],
      contentType: USER_INFO_UPDATED_NOTIFICATION,
      detail: { userID },
      operationID: req.operationID,
    });
    if (after && (after.nickname !== before.nickname || after.faceURL !== before.faceURL)) {
      for (const l of deps.infoListeners()) l.onUserInfoUpdated?.(userID, req.operationID);
    }
  };

  const updateRoute = (wrapped: boolean) => (req: ApiRequest) => {
    const info = optObject(asObject(req.body), 'userInfo');
    if (!info) throw argsError('userInfo is required');
    const userID = reqString(info, 'userID');
    if (userID !== req.opUserID && !req.isAdmin) throw noPermission('no permission to update other user');
    const before = users.get(userID);
    if (!before) throw recordNotFound('user not found');
    const text = (key: string): string | undefined => (wrapped ? wrappedField(info, key, 'string') : optString(info, key));
    const patch: { nickname?: string; faceURL?: string; ex?: string; globalRecvMsgOpt?: number } = {};
    const nickname = text('nickname');
    const faceURL = text('faceURL');
    const ex = text('ex');
    const opt = wrapped ? wrappedField(info, 'globalRecvMsgOpt', 'number') : undefined;
    // update_user_info leaves empty strings alone; update_user_info_ex sets whatever is present
    if (typeof nickname === 'string' && (wrapped || nickname !== '')) patch.nickname = nickname;
    if (typeof faceURL === 'string' && (wrapped || faceURL !== '')) patch.faceURL = faceURL;
    if (typeof ex === 'string' && (wrapped || ex !== '')) patch.ex = ex;
    if (typeof opt === 'number' && wrapped) patch.globalRecvMsgOpt = opt;
    afterUpdate(req, userID, before, users.update(userID, patch));
    return {};
  };
  routes.set('/user/update_user_info_ex', updateRoute(true));
  routes.set('/user/update_user_info', updateRoute(false));

  routes.set('/user/set_global_msg_recv_opt', (req) => {
    const body = asObject(req.body);
    const userID = reqString(body, 'userID');
    // user.go SetGlobalRecvMessageOpt checks no access: any user may set another's option.
    const before = users.get(userID);
    if (!before) throw recordNotFound('user not found');
    afterUpdate(req, userID, before, users.update(userID, { globalRecvMsgOpt: optNumber(body, 'globalRecvMsgOpt') }));
    return {};
  });

  // user rpc SubscribeOrCancelUsersStatus / GetSubscribeUsersStatus are no-ops in v3.8:
  // subscriptions live in the gateway (WsSubUserOnlineStatus).
  routes.set('/user/subscribe_users_status', (req) => {
    asObject(req.body);
    return {};
  });
  routes.set('/user/get_subscribe_users_status', (req) => {
    asObject(req.body);
    return { statusList: [] };
  });

  routes.set('/user/get_users_status', (req) => {
    const userIDs = optStringArray(asObject(req.body), 'userIDs');
    return { statusList: userIDs.map((id) => deps.online.status(id)) };
  });

  /** The api layer asks every gateway (admin only) and reports each requested user. */
  routes.set('/user/get_users_online_status', (req) => {
    const userIDs = optStringArray(asObject(req.body), 'userIDs');
    if (!req.isAdmin) throw noPermission('only app manager');
    return userIDs.map((userID) => {
      const conns = deps.registry.connections(userID);
      return {
        userID,
        status: conns.length > 0 ? 1 : 0,
        detailPlatformStatus: conns.map((c) => ({ platformID: c.platformID, connID: String(c.connID), token: c.token, isBackground: c.isBackground })),
      };
    });
  });

  return routes;
}
