/**
 * Friends, friend applications and blacklist entries as the jssdk declares them
 * (FriendUserItem, FriendApplicationItem, BlackUserItem, FullUserItem, SearchedFriendsInfo),
 * built from the OpenIM server's sdkws messages the way the SDK core's local tables held them.
 */
import { mapList, withDefaults } from './defaults';

/** sdkws.PublicUserInfo as the server sends it inside friend and black records. */
export interface ServerPublicUser {
  userID?: string;
  nickname?: string;
  faceURL?: string;
  ex?: string;
}

/** sdkws.FriendInfo. */
export interface ServerFriendInfo {
  ownerUserID?: string;
  remark?: string;
  createTime?: number;
  friendUser?: ServerPublicUser | null;
  addSource?: number;
  operatorUserID?: string;
  ex?: string;
  isPinned?: boolean;
}

/** sdkws.BlackInfo. */
export interface ServerBlackInfo {
  ownerUserID?: string;
  createTime?: number;
  blackUserInfo?: ServerPublicUser | null;
  addSource?: number;
  operatorUserID?: string;
  ex?: string;
}

/** A type alias (not an interface) so it fits withDefaults' record type. */
export type FriendUserItem = {
  ownerUserID: string;
  userID: string;
  remark: string;
  createTime: number;
  addSource: number;
  operatorUserID: string;
  nickname: string;
  faceURL: string;
  ex: string;
  attachedInfo: string;
  isPinned: boolean;
};

export type BlackUserItem = {
  ownerUserID: string;
  userID: string;
  nickname: string;
  faceURL: string;
  createTime: number;
  addSource: number;
  operatorUserID: string;
  ex: string;
};

export interface FullUserItem {
  publicInfo: null;
  friendInfo: FriendUserItem | null;
  blackInfo: BlackUserItem | null;
}

/** The jssdk's Relationship enum. */
export const Relationship = { isBlack: 0, isFriend: 1 } as const;

export interface SearchedFriendsInfo extends FriendUserItem {
  relationship: number;
}

const FRIEND_DEFAULTS: FriendUserItem = {
  ownerUserID: '',
  userID: '',
  remark: '',
  createTime: 0,
  addSource: 0,
  operatorUserID: '',
  nickname: '',
  faceURL: '',
  ex: '',
  attachedInfo: '',
  isPinned: false,
};

const BLACK_DEFAULTS: BlackUserItem = {
  ownerUserID: '',
  userID: '',
  nickname: '',
  faceURL: '',
  createTime: 0,
  addSource: 0,
  operatorUserID: '',
  ex: '',
};

const APPLICATION_DEFAULTS = {
  createTime: 0,
  ex: '',
  fromFaceURL: '',
  fromNickname: '',
  fromUserID: '',
  handleMsg: '',
  handleResult: 0,
  handleTime: 0,
  handlerUserID: '',
  reqMsg: '',
  toFaceURL: '',
  toNickname: '',
  toUserID: '',
};

/** A server FriendInfo flattened as the SDK core's LocalFriend (the friend's public fields inline). */
export function friendFromServer(f: ServerFriendInfo): FriendUserItem {
  const u = f.friendUser ?? {};
  return {
    ownerUserID: f.ownerUserID ?? '',
    userID: u.userID ?? '',
    remark: f.remark ?? '',
    createTime: f.createTime ?? 0,
    addSource: f.addSource ?? 0,
    operatorUserID: f.operatorUserID ?? '',
    nickname: u.nickname ?? '',
    faceURL: u.faceURL ?? '',
    ex: f.ex ?? '',
    attachedInfo: '',
    isPinned: f.isPinned ?? false,
  };
}

/** A server BlackInfo flattened as the SDK core's LocalBlack. */
export function blackFromServer(b: ServerBlackInfo): BlackUserItem {
  const u = b.blackUserInfo ?? {};
  return {
    ownerUserID: b.ownerUserID ?? '',
    userID: u.userID ?? '',
    nickname: u.nickname ?? '',
    faceURL: u.faceURL ?? '',
    createTime: b.createTime ?? 0,
    addSource: b.addSource ?? 0,
    operatorUserID: b.operatorUserID ?? '',
    ex: b.ex ?? '',
  };
}

/** FullUserItem as the SDK core built it for friend lists: no public info, the black entry if any. */
export function fullFriendItem(friend: FriendUserItem, blacks: ReadonlyMap<string, BlackUserItem>): FullUserItem {
  return { publicInfo: null, friendInfo: friend, blackInfo: blacks.get(friend.userID) ?? null };
}

/** Event data: the client SDK sends a full friend, or only `{userID}` for a deleted one. */
export function toJssdkFriend(f: unknown): unknown {
  return withDefaults(f, FRIEND_DEFAULTS);
}

/** Event data: a full black entry, or only `{userID}` for a removed one. */
export function toJssdkBlack(b: unknown): unknown {
  return withDefaults(b, BLACK_DEFAULTS);
}

export function toJssdkFriendApplication(a: unknown): unknown {
  return withDefaults(a, APPLICATION_DEFAULTS);
}

export function toJssdkFriendApplications(list: unknown): unknown {
  return mapList(list, toJssdkFriendApplication);
}
