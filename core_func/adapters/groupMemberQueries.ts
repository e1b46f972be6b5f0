/**
 * The member queries the OpenIM SDK core answers from its local database, applied to a
 * group's full member list: filters by role, keyword and join time, with the core's ordering.
 */
import type { GroupMember } from '../shapes/group';

export const Role = { Owner: 100, Admin: 60, Member: 20 } as const;

/** open-im-sdk's GroupMemberFilter, as the roles each value selects. */
export const MEMBER_FILTER_ROLES: readonly (readonly number[])[] = [
  [Role.Owner, Role.Admin, Role.Member], // All
  [Role.Owner],
  [Role.Admin],
  [Role.Member],
  [Role.Admin, Role.Member],
  [Role.Owner, Role.Admin],
];

const byRoleThenJoin = (a: GroupMember, b: GroupMember) => b.roleLevel - a.roleLevel || a.joinTime - b.joinTime;
const newestFirst = (a: GroupMember, b: GroupMember) => b.joinTime - a.joinTime;

export function pageOf<T>(list: readonly T[], offset: number, count: number): T[] {
  if (count <= 0 || offset < 0) return [];
  return list.slice(offset, offset + count);
}

/** GetGroupMemberList: owner first, then admins, then members, each by join time. */
export function membersByFilter(members: readonly GroupMember[], filter: number): GroupMember[] {
  const roles = MEMBER_FILTER_ROLES[filter] ?? [];
  return members.filter((m) => roles.includes(m.roleLevel)).sort(byRoleThenJoin);
}

/** GetGroupMemberOwnerAndAdmin: newest first. */
export function ownerAndAdmins(members: readonly GroupMember[]): GroupMember[] {
  return members.filter((m) => m.roleLevel > Role.Member).sort(newestFirst);
}

/** SearchGroupMembers: a substring of the user ID and/or the nickname, case-insensitive as SQLite's LIKE is. */
export function searchMembers(members: readonly GroupMember[], keyword: string, byUserID: boolean, byNickname: boolean): GroupMember[] {
  const k = keyword.toLowerCase();
  const hit = (s: string) => s.toLowerCase().includes(k);
  return members.filter((m) => (byUserID && hit(m.userID)) || (byNickname && hit(m.nickname))).sort(newestFirst);
}

/** GetGroupMemberListByJoinTimeFilter: joined within [begin, end], not excluded, newest first. */
export function membersJoinedBetween(members: readonly GroupMember[], begin: number, end: number, excluded: readonly string[]): GroupMember[] {
  const skip = new Set(excluded);
  return members.filter((m) => m.joinTime >= begin && m.joinTime <= end && !skip.has(m.userID)).sort(newestFirst);
}
