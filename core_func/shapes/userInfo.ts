/**
 * Other users as the jssdk declares them: PublicUserItem, FullUserItemWithCache and
 * UserOnlineState.
 */
import type { PublicUserInfo } from '../cache/usersInfoCache';
import type { BlackUserItem, FriendUserItem } from './friend';
import { mapList, withDefaults } from './defaults';

/** sdkws.UserInfo as /user/get_users_info sends it. */
export interface ServerUserInfo {
  userID?: string;
  nickname?: string;
  faceURL?: string;
  ex?: string;
  createTime?: number;
}

export interface FullUserItemWithCache {
  publicInfo: PublicUserInfo;
  friendInfo: FriendUserItem | null;
  blackInfo: BlackUserItem | null;
  groupMemberInfo: unknown;
}

export function publicUserFromServer(u: ServerUserInfo): PublicUserInfo {
  return { userID: u.userID ?? '', nickname: u.nickname ?? '', faceURL: u.faceURL ?? '', ex: u.ex ?? '', createTime: u.createTime ?? 0 };
}

const ONLINE_STATE_DEFAULTS = { userID: '', status: 0, platformIDs: [] as number[] };

export function toJssdkUserOnlineState(s: unknown): unknown {
  return withDefaults(s, ONLINE_STATE_DEFAULTS);
}

export function toJssdkUserOnlineStates(list: unknown): unknown {
  return mapList(list, toJssdkUserOnlineState);
}
