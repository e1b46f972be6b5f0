/** The sdkws group messages as the real server's converters build them (times in milliseconds). */
import type { UserDirectory } from '../api/contract';
import { publicUser, type PublicUserInfo } from '../relation/views';
import type { GroupRecord, GroupRequestRecord, GroupStore, MemberRecord } from './groupStore';

/** sdkws.GroupInfo: the stored group plus what is derived from its members. */
export interface GroupInfoPb extends GroupRecord {
  ownerUserID: string;
  memberCount: number;
}

export interface GroupMemberFullInfoPb {
  groupID: string;
  userID: string;
  roleLevel: number;
  joinTime: number;
  nickname: string;
  faceURL: string;
  appMangerLevel: number;
  joinSource: number;
  operatorUserID: string;
  ex: string;
  muteEndTime: number;
  inviterUserID: string;
}

export interface GroupRequestPb {
  userInfo: PublicUserInfo | null;
  groupInfo: GroupInfoPb | null;
  handleResult: number;
  reqMsg: string;
  handleMsg: string;
  reqTime: number;
  handleUserID: string;
  handleTime: number;
  ex: string;
  joinSource: number;
  inviterUserID: string;
}

export class GroupViews {
  constructor(
    private readonly store: GroupStore,
    private readonly users: UserDirectory,
  ) {}

  /** Db2PbGroupInfo with the current owner and member count. */
  group(g: GroupRecord): GroupInfoPb {
    return {
      groupID: g.groupID,
      groupName: g.groupName,
      notification: g.notification,
      introduction: g.introduction,
      faceURL: g.faceURL,
      ownerUserID: this.store.owner(g.groupID)?.userID ?? '',
      createTime: g.createTime,
      memberCount: this.store.memberCount(g.groupID),
      ex: g.ex,
      status: g.status,
      creatorUserID: g.creatorUserID,
      groupType: g.groupType,
      needVerification: g.needVerification,
      lookMemberInfo: g.lookMemberInfo,
      applyMemberFriend: g.applyMemberFriend,
      notificationUpdateTime: g.notificationUpdateTime,
      notificationUserID: g.notificationUserID,
    };
  }

  groupByID(groupID: string): GroupInfoPb | undefined {
    const g = this.store.group(groupID);
    return g ? this.group(g) : undefined;
  }

  /** getGroupsInfo: the groups that exist, in the order asked. */
  groups(groupIDs: string[]): GroupInfoPb[] {
    return groupIDs.map((id) => this.groupByID(id)).filter((g): g is GroupInfoPb => g !== undefined);
  }

  /** Db2PbGroupMember after PopulateGroupMember: an empty nickname or face comes from the user. */
  member(m: MemberRecord, appMangerLevel = 0): GroupMemberFullInfoPb {
    const user = this.users.get(m.userID);
    return {
      groupID: m.groupID,
      userID: m.userID,
      roleLevel: m.roleLevel,
      joinTime: m.joinTime,
      nickname: m.nickname !== '' ? m.nickname : (user?.nickname ?? ''),
      faceURL: m.faceURL !== '' ? m.faceURL : (user?.faceURL ?? ''),
      appMangerLevel,
      joinSource: m.joinSource,
      operatorUserID: m.operatorUserID,
      ex: m.ex,
      muteEndTime: m.muteEndTime,
      inviterUserID: m.inviterUserID,
    };
  }

  /** getGroupMembersInfo: the members among `userIDs`, in the group's member order. */
  members(groupID: string, userIDs: string[]): GroupMemberFullInfoPb[] {
    if (userIDs.length === 0) return [];
    const wanted = new Set(userIDs);
    return this.store
      .membersOf(groupID)
      .filter((m) => wanted.has(m.userID))
      .map((m) => this.member(m));
  }

  request(r: GroupRequestRecord): GroupRequestPb {
    return {
      userInfo: this.users.exists(r.userID) ? publicUser(this.users, r.userID) : null,
      groupInfo: this.groupByID(r.groupID) ?? null,
      handleResult: r.handleResult,
      reqMsg: r.reqMsg,
      handleMsg: r.handledMsg,
      reqTime: r.reqTime,
      handleUserID: r.handleUserID,
      handleTime: r.handledTime,
      ex: r.ex,
      joinSource: r.joinSource,
      inviterUserID: r.inviterUserID,
    };
  }
}
