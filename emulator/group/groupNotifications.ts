/**
 * The group notifications the real server sends (internal/rpc/group/notification.go): group-wide
 * ones go to the group's conversation (plus the users who just left), application ones go to
 * the owner, the admins and the applicant one by one. Member-version fields carry the group's
 * member version after the change, which the client SDK stores to skip a resync.
 */
import { randomUUID } from 'node:crypto';
import type { ApiRequest, ConversationHooks, Notifier, UserDirectory } from '../api/contract';
import { GroupNotification } from '../relation/contentTypes';
import { publicUser } from '../relation/views';
import { RoleLevel, type GroupStore } from './groupStore';
import type { GroupInfoPb, GroupMemberFullInfoPb, GroupViews } from './groupViews';

const APP_ADMIN_LEVEL = 2;
const Receiver = { Applicant: 0, Admin: 1 } as const;

export class GroupNotifications {
  constructor(
    private readonly notifier: Notifier,
    private readonly users: UserDirectory,
    private readonly store: GroupStore,
    private readonly views: GroupViews,
    private readonly conversations?: ConversationHooks,
  ) {}

  /** fillUserByUserID: an app admin shows as a group admin; a non-member gets a bare record. */
  userInGroup(req: ApiRequest, userID: string, groupID: string): GroupMemberFullInfoPb {
    const user = this.users.get(userID);
    const base = { nickname: user?.nickname ?? '', faceURL: user?.faceURL ?? '' };
    if (req.isAdmin && userID === req.opUserID) {
      return { ...emptyMember(groupID, userID), roleLevel: RoleLevel.Admin, appMangerLevel: APP_ADMIN_LEVEL, ...base };
    }
    const m = this.store.member(groupID, userID);
    if (m) return this.views.member(m);
    return { ...emptyMember(groupID, userID), ...base, operatorUserID: userID };
  }

  opUser(req: ApiRequest, groupID: string): GroupMemberFullInfoPb {
    return this.userInGroup(req, req.opUserID, groupID);
  }

  private memberVersion(groupID: string): { groupMemberVersion: number; groupMemberVersionID: string } {
    const v = this.store.memberVersions.max(groupID);
    return { groupMemberVersion: v.version, groupMemberVersionID: v.id };
  }

  private toGroup(req: ApiRequest, groupID: string, contentType: number, tips: object): void {
    this.notifier.notifyGroup({ sendID: req.opUserID, groupID, contentType, detail: tips, operationID: req.operationID });
  }

  private toUser(req: ApiRequest, recvID: string, contentType: number, tips: object): void {
    this.notifier.notifyUsers({ sendID: req.opUserID, recvIDs: [recvID], contentType, detail: tips, operationID: req.operationID });
  }

  private groupInfo(groupID: string): GroupInfoPb {
    return this.views.groupByID(groupID)!;
  }

  groupCreated(req: ApiRequest, group: GroupInfoPb, groupOwnerUser: GroupMemberFullInfoPb, memberList: GroupMemberFullInfoPb[], operationTime: number): void {
    const tips = { group, opUser: this.opUser(req, group.groupID), memberList, operationTime, groupOwnerUser, ...this.memberVersion(group.groupID) };
    this.toGroup(req, group.groupID, GroupNotification.Created, tips);
  }

  groupInfoSet(req: ApiRequest, groupID: string): void {
    const tips = { opUser: this.opUser(req, groupID), group: this.groupInfo(groupID), ...this.memberVersion(groupID) };
    this.toGroup(req, groupID, GroupNotification.InfoSet, tips);
  }

  groupInfoSetName(req: ApiRequest, groupID: string): void {
    const tips = { opUser: this.opUser(req, groupID), group: this.groupInfo(groupID), ...this.memberVersion(groupID) };
    this.toGroup(req, groupID, GroupNotification.InfoSetName, tips);
  }

  groupInfoSetAnnouncement(req: ApiRequest, groupID: string): void {
    const tips = { opUser: this.opUser(req, groupID), group: this.groupInfo(groupID), ...this.memberVersion(groupID) };
    this.toGroup(req, groupID, GroupNotification.InfoSetAnnouncement, tips);
  }

  /**
   * To the owner, the admins, the "applicant" and the op user, one by one. For a request made by
   * an invitation the real server names the inviter as applicant (and so never tells the invitee).
   */
  joinApplication(req: ApiRequest, groupID: string, requestUserID: string, applicantID: string, reqMsg: string): void {
    const r = this.store.request(groupID, requestUserID);
    if (!r) return;
    const request = { ...this.views.request(r), groupInfo: null };
    const tips = { group: this.groupInfo(groupID), applicant: publicUser(this.users, applicantID), reqMsg, uuid: randomUUID(), request };
    const recvIDs = new Set([...this.managerIDs(groupID), applicantID, req.opUserID]);
    for (const recvID of recvIDs) this.toUser(req, recvID, GroupNotification.JoinApplication, tips);
  }

  /** To the owner and admins (as admins) and to the applicant; `accepted` picks the content type. */
  applicationHandled(req: ApiRequest, groupID: string, applicantID: string, handleMsg: string, accepted: boolean): void {
    const r = this.store.request(groupID, applicantID);
    if (!r) return;
    const request = { ...this.views.request(r), groupInfo: null };
    const base = { group: this.groupInfo(groupID), opUser: this.opUser(req, groupID), handleMsg, uuid: randomUUID(), request };
    const contentType = accepted ? GroupNotification.ApplicationAccepted : GroupNotification.ApplicationRejected;
    for (const recvID of [...this.managerIDs(groupID), applicantID]) {
      const receiverAs = recvID === applicantID ? Receiver.Applicant : Receiver.Admin;
      this.toUser(req, recvID, contentType, { ...base, receiverAs });
    }
  }

  memberQuit(req: ApiRequest, quitUser: GroupMemberFullInfoPb): void {
    const tips = { group: this.groupInfo(quitUser.groupID), quitUser, ...this.memberVersion(quitUser.groupID) };
    this.toGroup(req, quitUser.groupID, GroupNotification.MemberQuit, tips);
  }

  /** QuitGroup / KickGroupMember after the notification: deleteMemberAndSetConversationSeq. */
  membersLeft(groupID: string, userIDs: string[]): void {
    this.conversations?.boundGroupConversation?.(groupID, userIDs);
  }

  memberKicked(req: ApiRequest, groupID: string, kickedUserList: GroupMemberFullInfoPb[]): void {
    const tips = { group: this.groupInfo(groupID), opUser: this.opUser(req, groupID), kickedUserList, ...this.memberVersion(groupID) };
    this.toGroup(req, groupID, GroupNotification.MemberKicked, tips);
  }

  /** Members added by an inviter (invitation, or an accepted invited application). */
  memberInvited(req: ApiRequest, groupID: string, inviterUserID: string, userIDs: string[]): void {
    this.conversations?.ensureGroupConversations(groupID, userIDs);
    const opUser = this.opUser(req, groupID);
    const inviterUser = inviterUserID === req.opUserID ? opUser : this.userInGroup(req, inviterUserID, groupID);
    const tips = {
      group: this.groupInfo(groupID),
      opUser,
      invitedUserList: this.views.members(groupID, userIDs),
      ...this.memberVersion(groupID),
      inviterUser,
    };
    this.toGroup(req, groupID, GroupNotification.MemberInvited, tips);
    this.conversations?.memberJoined?.(groupID, userIDs);
  }

  memberEnter(req: ApiRequest, groupID: string, entrantUserID: string, operationTime: number): void {
    const entrant = this.store.member(groupID, entrantUserID);
    if (!entrant) return;
    this.conversations?.ensureGroupConversations(groupID, [entrantUserID]);
    const tips = { group: this.groupInfo(groupID), entrantUser: this.views.member(entrant), operationTime, ...this.memberVersion(groupID) };
    this.toGroup(req, groupID, GroupNotification.MemberEnter, tips);
    this.conversations?.memberJoined?.(groupID, [entrantUserID]);
  }

  /** Sent before nobody is left to receive it: the members stay in a dismissed group. */
  groupDismissed(req: ApiRequest, group: GroupInfoPb): void {
    this.toGroup(req, group.groupID, GroupNotification.Dismissed, { group, opUser: this.opUser(req, group.groupID) });
  }

  memberMuted(req: ApiRequest, groupID: string, userID: string, mutedSeconds: number): void {
    const tips = {
      group: this.groupInfo(groupID),
      opUser: this.opUser(req, groupID),
      mutedUser: this.views.members(groupID, [userID])[0] ?? null,
      mutedSeconds,
      ...this.memberVersion(groupID),
    };
    this.toGroup(req, groupID, GroupNotification.MemberMuted, tips);
  }

  memberCancelMuted(req: ApiRequest, groupID: string, userID: string): void {
    const tips = {
      group: this.groupInfo(groupID),
      opUser: this.opUser(req, groupID),
      mutedUser: this.views.members(groupID, [userID])[0] ?? null,
      ...this.memberVersion(groupID),
    };
    this.toGroup(req, groupID, GroupNotification.MemberCancelMuted, tips);
  }

  groupMuted(req: ApiRequest, groupID: string, muted: boolean): void {
    const tips = { group: this.groupInfo(groupID), opUser: this.opUser(req, groupID), ...this.memberVersion(groupID) };
    this.toGroup(req, groupID, muted ? GroupNotification.Muted : GroupNotification.CancelMuted, tips);
  }

  /** GroupMemberInfoSet, SetToAdmin or SetToOrdinaryUser, by `contentType`. */
  memberInfoSet(req: ApiRequest, groupID: string, userID: string, contentType: number, groupSortVersion: number): void {
    const tips = {
      group: this.groupInfo(groupID),
      opUser: this.opUser(req, groupID),
      changedUser: this.views.members(groupID, [userID])[0] ?? null,
      ...this.memberVersion(groupID),
      groupSortVersion,
    };
    this.toGroup(req, groupID, contentType, tips);
  }

  ownerTransferred(req: ApiRequest, groupID: string, oldOwnerUserID: string, newOwnerUserID: string): void {
    const [oldOwner] = this.views.members(groupID, [oldOwnerUserID]);
    const [newOwner] = this.views.members(groupID, [newOwnerUserID]);
    const tips = {
      group: this.groupInfo(groupID),
      opUser: this.opUser(req, groupID),
      newGroupOwner: newOwner ?? null,
      oldGroupOwnerInfo: oldOwner ?? null,
      ...this.memberVersion(groupID),
    };
    this.toGroup(req, groupID, GroupNotification.OwnerTransferred, tips);
  }

  private managerIDs(groupID: string): string[] {
    return this.store.membersOf(groupID).filter((m) => m.roleLevel === RoleLevel.Owner || m.roleLevel === RoleLevel.Admin).map((m) => m.userID);
  }
}

function emptyMember(groupID: string, userID: string): GroupMemberFullInfoPb {
  return { groupID, userID, roleLevel: 0, joinTime: 0, nickname: '', faceURL: '', appMangerLevel: 0, joinSource: 0, operatorUserID: '', ex: '', muteEndTime: 0, inviterUserID: '' };
}
