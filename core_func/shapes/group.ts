/**
 * GroupItem, GroupMemberItem and GroupApplicationItem as open-im-sdk 3.5.2 declares them.
 * The server (and the client SDK, which passes server data on) leaves empty fields out.
 */
import { withDefaults } from './defaults';

type Json = Record<string, unknown>;

const GROUP_DEFAULTS = {
  groupID: '',
  groupName: '',
  notification: '',
  notificationUserID: '',
  notificationUpdateTime: 0,
  introduction: '',
  faceURL: '',
  ownerUserID: '',
  createTime: 0,
  memberCount: 0,
  status: 0,
  creatorUserID: '',
  groupType: 0,
  needVerification: 0,
  ex: '',
  applyMemberFriend: 0,
  lookMemberInfo: 0,
};

const MEMBER_DEFAULTS = {
  groupID: '',
  userID: '',
  nickname: '',
  faceURL: '',
  roleLevel: 0,
  muteEndTime: 0,
  joinTime: 0,
  joinSource: 0,
  inviterUserID: '',
  operatorUserID: '',
  ex: '',
};

const APPLICATION_DEFAULTS = {
  createTime: 0,
  creatorUserID: '',
  ex: '',
  groupFaceURL: '',
  groupID: '',
  groupName: '',
  groupType: 0,
  handleResult: 0,
  handleUserID: '',
  handledMsg: '',
  handledTime: 0,
  introduction: '',
  memberCount: 0,
  nickname: '',
  notification: '',
  ownerUserID: '',
  reqMsg: '',
  reqTime: 0,
  joinSource: 0,
  status: 0,
  userFaceURL: '',
  userID: '',
};

/** The fields of a member the bridge reads to filter and order member lists. */
export interface GroupMember extends Json {
  groupID: string;
  userID: string;
  nickname: string;
  roleLevel: number;
  joinTime: number;
}

export function toJssdkGroup(g: unknown): unknown {
  return withDefaults(g, GROUP_DEFAULTS);
}

export function toJssdkGroups(list: unknown): unknown[] {
  return Array.isArray(list) ? list.map(toJssdkGroup) : [];
}

export function toJssdkGroupMember(m: unknown): GroupMember {
  return withDefaults(m, MEMBER_DEFAULTS);
}

export function toJssdkGroupMembers(list: unknown): GroupMember[] {
  return Array.isArray(list) ? list.map(toJssdkGroupMember) : [];
}

/** For events, whose data the client SDK already shaped as an application item (possibly with holes). */
export function toJssdkGroupApplication(a: unknown): unknown {
  return withDefaults(a, APPLICATION_DEFAULTS);
}

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Json)[key] : undefined;
}

/** A server `GroupRequest` ({userInfo, groupInfo, ...}) flattened the way the OpenIM SDK core stores it. */
export function groupRequestToApplication(r: unknown): unknown {
  const g = field(r, 'groupInfo');
  const u = field(r, 'userInfo');
  return toJssdkGroupApplication({
    createTime: field(g, 'createTime'),
    creatorUserID: field(g, 'creatorUserID'),
    ex: field(r, 'ex'),
    groupFaceURL: field(g, 'faceURL'),
    groupID: field(g, 'groupID'),
    groupName: field(g, 'groupName'),
    groupType: field(g, 'groupType'),
    handleResult: field(r, 'handleResult'),
    handleUserID: field(r, 'handleUserID'),
    handledMsg: field(r, 'handleMsg'),
    handledTime: field(r, 'handleTime'),
    introduction: field(g, 'introduction'),
    memberCount: field(g, 'memberCount'),
    nickname: field(u, 'nickname'),
    notification: field(g, 'notification'),
    ownerUserID: field(g, 'ownerUserID'),
    reqMsg: field(r, 'reqMsg'),
    reqTime: field(r, 'reqTime'),
    joinSource: field(r, 'joinSource'),
    status: field(g, 'status'),
    userFaceURL: field(u, 'faceURL'),
    userID: field(u, 'userID'),
  });
}

export function groupRequestsToApplications(list: unknown): unknown[] {
  return Array.isArray(list) ? list.map(groupRequestToApplication) : [];
}
