/** The user and group-member lookups and the gateway request the user adapters need. */
import { BridgeError } from '../../../common/errors';
import type { PublicUserInfo } from '../../cache/usersInfoCache';
import { toJssdkGroupMember } from '../../shapes/group';
import { publicUserFromServer, type ServerUserInfo } from '../../shapes/userInfo';
import { restCall, type RestCaller } from './caller';

/** The server's NoPermissionError: its answer to a member query from outside the group. */
const NO_PERMISSION = 1002;

/** Users that do not exist are simply absent from the reply. */
export async function fetchPublicUsers(ctx: RestCaller, userIDs: readonly string[]): Promise<PublicUserInfo[]> {
  const reply = await restCall<{ usersInfo?: ServerUserInfo[] | null } | null>(ctx, '/user/get_users_info', { userIDs });
  return (reply?.usersInfo ?? []).map(publicUserFromServer);
}

/**
 * The group's member entries for these users, none when the logged-in user is not in the group:
 * the OpenIM SDK core read them from its local copy, which only holds the user's own groups.
 */
export async function groupMembersByUserID(ctx: RestCaller, groupID: string, userIDs: readonly string[]): Promise<Map<string, unknown>> {
  try {
    const reply = await restCall<{ members?: unknown[] | null } | null>(ctx, '/group/get_group_members_info', { groupID, userIDs: [...new Set(userIDs)] });
    return new Map((reply?.members ?? []).map((m) => toJssdkGroupMember(m)).map((m) => [m.userID, m]));
  } catch (err) {
    if (err instanceof BridgeError && err.errCode === NO_PERMISSION) return new Map();
    throw err;
  }
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/**
 * sdkws.SetAppBackgroundStatusReq {userID = 1; isBackground = 2}: @openim/protocol ships no
 * encoder for it. A fresh buffer of exactly these bytes, since the client SDK sends `data.buffer`.
 */
export function encodeSetAppBackgroundStatusReq(userID: string, isBackground: boolean): Uint8Array {
  const id = new TextEncoder().encode(userID);
  return Uint8Array.from([0x0a, ...varint(id.length), ...id, 0x10, isBackground ? 1 : 0]);
}
