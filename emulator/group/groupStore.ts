/**
 * Groups, members and join requests in memory, with the two version logs the real server keeps
 * for them (database/mgo/group_member.go): one per group listing member changes (plus the
 * group-change marker "" and the sort marker), one per user listing joined and left groups.
 */
import { createHash, randomBytes } from 'node:crypto';
import { VersionGroupChangeID, VersionLogStore, VersionSortChangeID, VersionState } from '../relation/versionLog';

export const RoleLevel = { Owner: 100, Admin: 60, Member: 20 } as const;
export const GroupStatus = { Ok: 0, BanChat: 1, Dismissed: 2, Muted: 3 } as const;
export const WORKING_GROUP = 2;
export const Verification = { ApplyNeedInviteDirectly: 0, AllNeed: 1, Directly: 2 } as const;
export const JoinSource = { Admin: 1, Invitation: 2, Search: 3, QRCode: 4 } as const;
export const GroupResponse = { NotHandled: 0, Agree: 1, Refuse: -1 } as const;

/** How many times the real server tries a fresh random group ID before giving up. */
const GROUP_ID_ATTEMPTS = 10;
/** The real server's group IDs are the first 8 hex digits of an MD5, written in decimal. */
const GROUP_ID_HEX_DIGITS = 8;

export interface GroupRecord {
  groupID: string;
  groupName: string;
  notification: string;
  introduction: string;
  faceURL: string;
  createTime: number;
  ex: string;
  status: number;
  creatorUserID: string;
  groupType: number;
  needVerification: number;
  lookMemberInfo: number;
  applyMemberFriend: number;
  notificationUpdateTime: number;
  notificationUserID: string;
}

export interface MemberRecord {
  groupID: string;
  userID: string;
  nickname: string;
  faceURL: string;
  roleLevel: number;
  joinTime: number;
  joinSource: number;
  inviterUserID: string;
  operatorUserID: string;
  muteEndTime: number;
  ex: string;
}

export interface GroupRequestRecord {
  groupID: string;
  userID: string;
  handleResult: number;
  reqMsg: string;
  handledMsg: string;
  reqTime: number;
  handleUserID: string;
  handledTime: number;
  joinSource: number;
  inviterUserID: string;
  ex: string;
}

export type MemberUpdate = Partial<Pick<MemberRecord, 'nickname' | 'faceURL' | 'roleLevel' | 'ex' | 'muteEndTime'>>;

function requestKey(groupID: string, userID: string): string {
  return JSON.stringify([groupID, userID]);
}

export class GroupStore {
  /** Per group: member user IDs changed. */
  readonly memberVersions: VersionLogStore;
  /** Per user: group IDs joined or left. */
  readonly joinVersions: VersionLogStore;
  private readonly groups = new Map<string, GroupRecord>();
  private readonly members = new Map<string, Map<string, MemberRecord>>();
  private readonly requests = new Map<string, GroupRequestRecord>();

  constructor(now: () => number) {
    this.memberVersions = new VersionLogStore(now);
    this.joinVersions = new VersionLogStore(now);
  }

  group(groupID: string): GroupRecord | undefined {
    return this.groups.get(groupID);
  }

  /** A free random group ID, or undefined when every attempt collided. */
  newGroupID(seed: string): string | undefined {
    for (let i = 0; i < GROUP_ID_ATTEMPTS; i++) {
      const md5 = createHash('md5').update(`${seed},;,${process.hrtime.bigint()},;,${randomBytes(8).toString('hex')}`).digest('hex');
      const id = BigInt(`0x${md5.slice(0, GROUP_ID_HEX_DIGITS)}`).toString();
      if (!this.groups.has(id)) return id;
    }
    return undefined;
  }

  createGroup(group: GroupRecord): void {
    this.groups.set(group.groupID, group);
    this.members.set(group.groupID, new Map());
  }

  /** Update group fields; logs a group change in the member version log, as UpdateGroup does. */
  updateGroup(groupID: string, update: Partial<GroupRecord>): void {
    const g = this.groups.get(groupID);
    if (!g) return;
    Object.assign(g, update);
    this.memberVersions.incr(groupID, [VersionGroupChangeID], VersionState.Update);
  }

  /** Dismiss keeping the members (the client SDK's call): status changes, a group change is logged. */
  dismiss(groupID: string): void {
    this.updateGroup(groupID, { status: GroupStatus.Dismissed });
  }

  /**
   * Dismiss removing every member: the group's member log is dropped and each former member
   * gets a delete in its join log, as DismissGroup(deleteMember) does.
   */
  dismissDeletingMembers(groupID: string): void {
    const g = this.groups.get(groupID);
    if (!g) return;
    g.status = GroupStatus.Dismissed;
    const userIDs = this.memberIDs(groupID);
    this.members.set(groupID, new Map());
    this.memberVersions.drop(groupID);
    for (const id of userIDs) this.joinVersions.incr(id, [groupID], VersionState.Delete);
  }

  member(groupID: string, userID: string): MemberRecord | undefined {
    return this.members.get(groupID)?.get(userID);
  }

  /** Members in the real server's order: by role (owner first), then by when they joined. */
  membersOf(groupID: string): MemberRecord[] {
    const all = [...(this.members.get(groupID)?.values() ?? [])];
    return all.sort((a, b) => b.roleLevel - a.roleLevel);
  }

  memberIDs(groupID: string): string[] {
    return this.membersOf(groupID).map((m) => m.userID);
  }

  memberCount(groupID: string): number {
    return this.members.get(groupID)?.size ?? 0;
  }

  owner(groupID: string): MemberRecord | undefined {
    return this.membersOf(groupID).find((m) => m.roleLevel === RoleLevel.Owner);
  }

  /** Groups a user is in, in the real server's order: by role, then by when the user joined. */
  joinedGroupIDs(userID: string): string[] {
    const rows: MemberRecord[] = [];
    for (const members of this.members.values()) {
      const m = members.get(userID);
      if (m) rows.push(m);
    }
    return rows.sort((a, b) => b.roleLevel - a.roleLevel || a.joinTime - b.joinTime).map((m) => m.groupID);
  }

  managedGroupIDs(userID: string): string[] {
    return this.joinedGroupIDs(userID).filter((groupID) => {
      const role = this.member(groupID, userID)?.roleLevel;
      return role === RoleLevel.Owner || role === RoleLevel.Admin;
    });
  }

  /** Insert members, logging them in their group's and their own version logs. */
  addMembers(rows: MemberRecord[]): void {
    const byGroup = new Map<string, string[]>();
    for (const row of rows) {
      this.members.get(row.groupID)?.set(row.userID, row);
      byGroup.set(row.groupID, [...(byGroup.get(row.groupID) ?? []), row.userID]);
    }
    for (const [groupID, userIDs] of byGroup) this.memberVersions.incr(groupID, userIDs, VersionState.Insert);
    const byUser = new Map<string, string[]>();
    for (const row of rows) byUser.set(row.userID, [...(byUser.get(row.userID) ?? []), row.groupID]);
    for (const [userID, groupIDs] of byUser) this.joinVersions.incr(userID, groupIDs, VersionState.Insert);
  }

  removeMembers(groupID: string, userIDs: string[]): void {
    const members = this.members.get(groupID);
    for (const id of userIDs) members?.delete(id);
    this.memberVersions.incr(groupID, userIDs, VersionState.Delete);
    for (const id of userIDs) this.joinVersions.incr(id, [groupID], VersionState.Delete);
  }

  updateMember(groupID: string, userID: string, update: MemberUpdate): void {
    const m = this.member(groupID, userID);
    if (!m || Object.keys(update).length === 0) return;
    Object.assign(m, update);
    const changed = update.roleLevel !== undefined ? [VersionSortChangeID, userID] : [userID];
    this.memberVersions.incr(groupID, changed, VersionState.Update);
  }

  /** The owner's role goes to the new owner and the new owner's old role to the old owner, in one logged change. */
  transferOwner(groupID: string, oldOwnerID: string, newOwnerID: string): void {
    const oldOwner = this.member(groupID, oldOwnerID);
    const newOwner = this.member(groupID, newOwnerID);
    if (!oldOwner || !newOwner) return;
    const newOwnersOldRole = newOwner.roleLevel;
    oldOwner.roleLevel = newOwnersOldRole;
    newOwner.roleLevel = RoleLevel.Owner;
    this.memberVersions.incr(groupID, [VersionSortChangeID, oldOwnerID, newOwnerID], VersionState.Update);
  }

  request(groupID: string, userID: string): GroupRequestRecord | undefined {
    return this.requests.get(requestKey(groupID, userID));
  }

  /** A new request replaces any earlier one from the same user to the same group. */
  putRequest(r: GroupRequestRecord): void {
    this.requests.set(requestKey(r.groupID, r.userID), r);
  }

  /** Newest first, filtered. */
  requestsWhere(match: (r: GroupRequestRecord) => boolean, handleResults: number[]): GroupRequestRecord[] {
    return [...this.requests.values()]
      .filter((r) => match(r) && (handleResults.length === 0 || handleResults.includes(r.handleResult)))
      .sort((a, b) => b.reqTime - a.reqTime);
  }
}
