/**
 * /user/process_user_command_* (internal/rpc/user/user.go ProcessUserCommand*, storage
 * pkg/common/storage/database/mgo/user.go *UserCommand on the `userCommands` collection): the
 * same in v3.8.0, v3.8.3 and v3.8.3-patch.16.
 */
import type { ApiRequest, Notifier, RouteTable } from '../api/contract';
import { argsError, noPermission, recordNotFound } from '../errors';
import { asObject, optNumber, optString, wrapped } from '../http/validate';
import type { Fields } from '../http/validate';

/** protocol/constant UserCommandAddNotification, UserCommandDeleteNotification, UserCommandUpdateNotification. */
export const USER_COMMAND_NOTIFICATION = { add: 1305, delete: 1306, update: 1307 } as const;

interface UserCommand {
  userID: string;
  type: number;
  uuid: string;
  value: string;
  ex: string;
  createTime: number;
}

export interface UserCommandDeps {
  notifier: Notifier;
  /** Milliseconds; stored as seconds like `time.Now().Unix()`. */
  now: () => number;
}

/** The request's userID, type and uuid as the protocol's Check() demands them (1001 otherwise). */
function checked(req: ApiRequest, needs: { type: boolean; uuid: boolean }): { body: Fields; userID: string; type: number; uuid: string } {
  const body = asObject(req.body);
  const userID = optString(body, 'userID');
  const type = optNumber(body, 'type');
  const uuid = optString(body, 'uuid');
  if (userID === '') throw argsError('userID is empty');
  if (needs.type && type === 0) throw argsError('type is not specified');
  if (needs.uuid && uuid === '') throw argsError('UUID is empty');
  // authverify.CheckAccessV3: the user itself or an app manager
  if (userID !== req.opUserID && !req.isAdmin) throw noPermission('no permission for this user');
  return { body, userID, type, uuid };
}

const view = (c: UserCommand): object => ({ type: c.type, createTime: c.createTime, uuid: c.uuid, value: c.value, ex: c.ex });

export function userCommandRoutes(deps: UserCommandDeps): RouteTable {
  /** The collection in insertion order; the real one has no unique index, so duplicates stay. */
  const commands: UserCommand[] = [];
  const routes: RouteTable = new Map();
  const matches = (userID: string, type: number, uuid: string) => (c: UserCommand): boolean => c.userID === userID && c.type === type && c.uuid === uuid;
  /** UserNotificationSender.UserCommand*Notification: from the user to the user, tips {fromUserID, toUserID}. */
  const notify = (req: ApiRequest, userID: string, contentType: number): void =>
    deps.notifier.notifyUsers({ sendID: userID, recvIDs: [userID], contentType, detail: { fromUserID: userID, toUserID: userID }, operationID: req.operationID });

  routes.set('/user/process_user_command_add', (req) => {
    const { body, userID, type, uuid } = checked(req, { type: true, uuid: true });
    // ProcessUserCommandAdd assigns a present ex to `value` and stores ex as ""
    const value = wrapped(body, 'ex', 'string') ?? wrapped(body, 'value', 'string') ?? '';
    commands.push({ userID, type, uuid, value, ex: '', createTime: Math.floor(deps.now() / 1000) });
    notify(req, userID, USER_COMMAND_NOTIFICATION.add);
    return {};
  });

  routes.set('/user/process_user_command_delete', (req) => {
    const { userID, type, uuid } = checked(req, { type: true, uuid: true });
    const i = commands.findIndex(matches(userID, type, uuid));
    if (i < 0) throw recordNotFound('record not found');
    commands.splice(i, 1);
    notify(req, userID, USER_COMMAND_NOTIFICATION.delete);
    return {};
  });

  routes.set('/user/process_user_command_update', (req) => {
    const { body, userID, type, uuid } = checked(req, { type: true, uuid: true });
    const value = wrapped(body, 'value', 'string');
    const ex = wrapped(body, 'ex', 'string');
    // UpdateUserCommand returns at once for an empty update: no lookup, but the notification still goes
    if (value !== undefined || ex !== undefined) {
      const found = commands.find(matches(userID, type, uuid));
      if (!found) throw recordNotFound('record not found');
      if (value !== undefined) found.value = value;
      if (ex !== undefined) found.ex = ex;
    }
    notify(req, userID, USER_COMMAND_NOTIFICATION.update);
    return {};
  });

  routes.set('/user/process_user_command_get', (req) => {
    const { userID, type } = checked(req, { type: true, uuid: false });
    return { CommandResp: commands.filter((c) => c.userID === userID && c.type === type).map(view) };
  });

  routes.set('/user/process_user_command_get_all', (req) => {
    const { userID } = checked(req, { type: false, uuid: false });
    return { CommandResp: commands.filter((c) => c.userID === userID).map(view) };
  });

  return routes;
}
