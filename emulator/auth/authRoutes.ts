/** /auth/* routes (internal/rpc/auth). */
import type { RouteTable } from '../api/contract';
import { argsError, noPermission, recordNotFound } from '../errors';
import type { ConnectionRegistry } from '../gateway/registry';
import { asObject, optNumber, optString, reqString } from '../http/validate';
import type { UserDirectory } from '../api/contract';
import type { TokenService } from './tokenService';

export interface AuthRouteDeps {
  tokens: TokenService;
  secret: string;
  users: UserDirectory;
  registry: ConnectionRegistry;
}

/** protocol/constant AdminPlatformID: admin tokens are issued for it. */
const ADMIN_PLATFORM_ID = 10;
/** protocol/constant AppNotificationAdmin: notification accounts cannot log in. */
const APP_NOTIFICATION_ADMIN_LEVEL = 3;

/** Whitelisted routes: no token header needed. */
export function publicAuthRoutes(deps: AuthRouteDeps): RouteTable {
  const routes: RouteTable = new Map();
  routes.set('/auth/get_admin_token', (req) => {
    const body = asObject(req.body);
    if (optString(body, 'secret') !== deps.secret) throw noPermission('secret invalid');
    const userID = reqString(body, 'userID');
    if (!deps.tokens.isAdmin(userID)) throw argsError('userID is error.');
    if (!deps.users.exists(userID)) throw recordNotFound('user not found');
    return deps.tokens.issue(userID, ADMIN_PLATFORM_ID);
  });
  routes.set('/auth/parse_token', (req) => {
    const token = reqString(asObject(req.body), 'token');
    const claims = deps.tokens.parse(token);
    return { userID: claims.UserID, platformID: claims.PlatformID, expireTimeSeconds: claims.exp };
  });
  return routes;
}


export function authRoutes(deps: AuthRouteDeps): RouteTable {
  const routes: RouteTable = new Map();
  routes.set('/auth/get_user_token', (req) => {
    const body = asObject(req.body);
    if (!req.isAdmin) throw noPermission('only admin can get user token');
    const userID = reqString(body, 'userID');
    const platformID = optNumber(body, 'platformID');
    if (platformID === ADMIN_PLATFORM_ID) throw noPermission('platformID invalid. platformID must not be adminPlatformID');
    if (deps.tokens.isAdmin(userID)) throw noPermission("don't get Admin token");
    const user = deps.users.get(userID);
    if (!user) throw recordNotFound(`user ${userID} not found`);
    if (user.appMangerLevel >= APP_NOTIFICATION_ADMIN_LEVEL) throw argsError('app account can`t get token');
    return deps.tokens.issue(userID, platformID);
  });
  routes.set('/auth/force_logout', (req) => {
    const body = asObject(req.body);
    if (!req.isAdmin) throw noPermission('only admin can force logout');
    const userID = reqString(body, 'userID');
    const platformID = optNumber(body, 'platformID');
    for (const conn of deps.registry.connections(userID).filter((c) => c.platformID === platformID)) {
      deps.registry.remove(conn);
      conn.kick();
    }
    deps.tokens.kickPlatform(userID, platformID);
    return {};
  });
  return routes;
}
