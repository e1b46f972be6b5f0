/**
 * The protobuf messages (sdkws) the real server sends for friends, requests and blacks, built
 * as its converters build them (pkg/common/convert): note the mixed time units, which are the
 * real server's.
 */
import type { UserDirectory } from '../api/contract';
import type { BlackRecord, FriendRecord, FriendRequestRecord } from './relationStore';

export interface PublicUserInfo {
  userID: string;
  nickname: string;
  faceURL: string;
  ex: string;
}

export interface UserInfoPb extends PublicUserInfo {
  createTime: number;
  appMangerLevel: number;
  globalRecvMsgOpt: number;
}

export interface FriendInfoPb {
  ownerUserID: string;
  remark: string;
  createTime: number;
  friendUser: PublicUserInfo;
  addSource: number;
  operatorUserID: string;
  ex: string;
  isPinned: boolean;
}

/** The stored request with both users' public names and faces. */
export interface FriendRequestPb extends FriendRequestRecord {
  fromNickname: string;
  fromFaceURL: string;
  toNickname: string;
  toFaceURL: string;
}

export interface BlackInfoPb {
  ownerUserID: string;
  createTime: number;
  blackUserInfo: PublicUserInfo | null;
  addSource: number;
  operatorUserID: string;
  ex: string;
}

const MS_PER_SECOND = 1000;

export function publicUser(users: UserDirectory, userID: string): PublicUserInfo {
  const u = users.get(userID);
  return { userID: u?.userID ?? '', nickname: u?.nickname ?? '', faceURL: u?.faceURL ?? '', ex: u?.ex ?? '' };
}

export function userInfoPb(users: UserDirectory, userID: string): UserInfoPb | undefined {
  const u = users.get(userID);
  if (!u) return undefined;
  return { ...u };
}

/** FriendsDB2Pb: createTime in seconds, friendUser with the four public fields. */
export function friendInfoPb(users: UserDirectory, f: FriendRecord): FriendInfoPb {
  return {
    ownerUserID: f.ownerUserID,
    remark: f.remark,
    createTime: Math.floor(f.createTime / MS_PER_SECOND),
    friendUser: publicUser(users, f.friendUserID),
    addSource: f.addSource,
    operatorUserID: f.operatorUserID,
    ex: f.ex,
    isPinned: f.isPinned,
  };
}

/** FriendRequestDB2Pb: times in milliseconds, names and faces from the user directory. */
export function friendRequestPb(users: UserDirectory, r: FriendRequestRecord): FriendRequestPb {
  const from = users.get(r.fromUserID);
  const to = users.get(r.toUserID);
  return {
    fromUserID: r.fromUserID,
    fromNickname: from?.nickname ?? '',
    fromFaceURL: from?.faceURL ?? '',
    toUserID: r.toUserID,
    toNickname: to?.nickname ?? '',
    toFaceURL: to?.faceURL ?? '',
    handleResult: r.handleResult,
    reqMsg: r.reqMsg,
    createTime: r.createTime,
    handlerUserID: r.handlerUserID,
    handleMsg: r.handleMsg,
    handleTime: r.handleTime,
    ex: r.ex,
  };
}

/** BlackDB2Pb (the paged list) gives seconds; GetSpecifiedBlacks gives milliseconds. */
export function blackInfoPb(users: UserDirectory, b: BlackRecord, unit: 'seconds' | 'milliseconds'): BlackInfoPb {
  return {
    ownerUserID: b.ownerUserID,
    createTime: unit === 'seconds' ? Math.floor(b.createTime / MS_PER_SECOND) : b.createTime,
    blackUserInfo: users.exists(b.blockUserID) ? publicUser(users, b.blockUserID) : null,
    addSource: b.addSource,
    operatorUserID: b.operatorUserID,
    ex: b.ex,
  };
}
