/**
 * The seams between the emulator's parts. The HTTP server, the gateway and the message
 * store live in the emulator core; friends, blacklists and groups plug in through these
 * interfaces, so each domain can be written and tested on its own.
 */
import type { SdkWsProto } from '@openim/protocol';

/** One authenticated REST call, after the envelope and the `token` header were checked. */
export interface ApiRequest {
  readonly path: string;
  /** Parsed JSON body, or the raw bytes for routes whose body is protobuf. */
  readonly body: unknown;
  readonly operationID: string;
  /** The user the token belongs to (the admin user for admin tokens). */
  readonly opUserID: string;
  readonly opPlatformID: number;
  readonly isAdmin: boolean;
}

export type ApiHandler = (req: ApiRequest) => unknown | Promise<unknown>;

/** A route table: path → handler. A Map, so a client-supplied path never reaches a prototype. */
export type RouteTable = Map<string, ApiHandler>;

/** Thrown by handlers; turned into `{errCode, errMsg, errDlt, data: null}` by the HTTP server. */
export class ApiError extends Error {
  constructor(
    readonly errCode: number,
    readonly errMsg: string,
    readonly errDlt: string = '',
  ) {
    super(errMsg);
  }
}

/** What a domain may ask of the message side: pushing notification messages as the real server does. */
export interface Notifier {
  /**
   * Store and push a notification message (content types 12xx/13xx/14xx/15xx/17xx) in the
   * notification conversation `n_<...>` the real server uses, to each user in `recvIDs`
   * (single-chat notifications) — `detail` is the JSON object the real server puts in
   * NotificationElem.detail.
   *
   * `operationID` is the operationID of the API call that caused the notification: the real
   * server pushes the notification with it, and the client SDK relies on that to skip events it
   * already fired for its own call (its triggeredEventMap is keyed by operationID).
   */
  notifyUsers(params: { sendID: string; recvIDs: string[]; contentType: number; detail: object; operationID?: string }): void;
  /**
   * Same for a group notification delivered to every member of `groupID` (the push path adds the
   * users a quit or kick tip names: emulator/msg/groupPushHandler.ts).
   */
  notifyGroup(params: { sendID: string; groupID: string; contentType: number; detail: object; operationID?: string }): void;
}

/** The user directory the core owns; domains read it to fill public user info. */
export interface UserDirectory {
  get(userID: string): UserRecord | undefined;
  exists(userID: string): boolean;
}

export interface UserRecord {
  userID: string;
  nickname: string;
  faceURL: string;
  ex: string;
  createTime: number;
  appMangerLevel: number;
  globalRecvMsgOpt: number;
}

/** What the rest of the emulator needs from the friend/blacklist domain. */
export interface RelationDomain {
  readonly routes: RouteTable;
  isFriend(ownerUserID: string, friendUserID: string): boolean;
  /** True when `ownerUserID` has put `otherUserID` on its blacklist. */
  isBlocked(ownerUserID: string, otherUserID: string): boolean;
  /**
   * Called after a user's nickname or faceURL changed (user rpc NotificationUserInfoUpdate →
   * relation NotificationUserInfoUpdate): refresh friend records and notify their owners.
   * Optional: a domain without it simply is not told.
   */
  onUserInfoUpdated?(userID: string, operationID: string): void;
  /**
   * The owner's friend records for those of `friendUserIDs` that are friends, as the relation
   * rpc's GetFriendInfo returns them (relation.FriendInfoOnly, createTime in milliseconds): what
   * the real jssdk conversation routes put in each conversation's `friend`. Optional.
   */
  friendInfoOnly?(ownerUserID: string, friendUserIDs: string[]): FriendInfoOnlyView[];
}

/** relation.FriendInfoOnly. */
export interface FriendInfoOnlyView {
  ownerUserID: string;
  friendUserID: string;
  remark: string;
  createTime: number;
  addSource: number;
  operatorUserID: string;
  ex: string;
  isPinned: boolean;
}

export interface GroupMemberView {
  groupID: string;
  userID: string;
  nickname: string;
  faceURL: string;
  roleLevel: number;
  muteEndTime: number;
}

export interface GroupView {
  groupID: string;
  groupName: string;
  status: number;
  groupType: number;
}

/**
 * sdkws.GroupInfo as the Go protocol declares it (the TypeScript protocol package adds a
 * `displayIsRead` the server's struct does not have).
 */
export type GroupInfoView = Omit<SdkWsProto.GroupInfo, 'displayIsRead'>;

/** What the rest of the emulator needs from the group domain. */
export interface GroupDomain {
  readonly routes: RouteTable;
  group(groupID: string): GroupView | undefined;
  /** The group as GetGroupsInfo returns it (group.go getGroupsInfo, Db2PbGroupInfo). */
  groupInfo(groupID: string): GroupInfoView | undefined;
  /** Member user IDs of a group, or undefined when the group does not exist. */
  memberIDs(groupID: string): string[] | undefined;
  member(groupID: string, userID: string): GroupMemberView | undefined;
  /** Same hook as RelationDomain.onUserInfoUpdated, for member records (group NotificationUserInfoUpdate). */
  onUserInfoUpdated?(userID: string, operationID: string): void;
}

/** What a domain may ask of the conversation side. */
export interface ConversationHooks {
  /**
   * Creates the `sg_<groupID>` conversation for each user that lacks it, as the group rpc does
   * through the conversation rpc (CreateGroupChatConversations) on create, join and invite.
   */
  ensureGroupConversations(groupID: string, userIDs: string[]): void;
  /**
   * group.go deleteMemberAndSetConversationSeq → conversation rpc SetConversationMaxSeq: users who
   * left (quit or kicked) see the group conversation only up to its current max seq.
   * Optional so domains written before it existed keep compiling.
   */
  boundGroupConversation?(groupID: string, userIDs: string[]): void;
  /**
   * group.go setMemberJoinSeq (v3.8.3-patch.14+), after an invitation, a direct join or an
   * accepted application (not on create): SetConversationMaxSeq(0) for the new members.
   */
  memberJoined?(groupID: string, userIDs: string[]): void;
  /**
   * group.go SetGroupInfo / SetGroupInfoEx when a non-empty announcement is set: the conversation
   * rpc's SetConversations gives each of these members' `sg_<groupID>` conversation groupAtType
   * GroupNotification, announcing ConversationChangeNotification to those whose record changes.
   */
  markGroupAnnouncement?(groupID: string, userIDs: string[]): void;
}

export interface DomainDeps {
  readonly users: UserDirectory;
  readonly notifier: Notifier;
  readonly now: () => number;
  /** Optional so domains written before it existed keep compiling. */
  readonly conversations?: ConversationHooks;
  /** Release switch (profile.ts friendRequestHandledCode): the code for refusing a handled friend request. */
  readonly friendRequestHandledCode?: 1305 | 500;
  /** Release switch (profile.ts groupInfoRoutes): which set-group-info routes exist and how SetGroupInfo counts fields. */
  readonly groupInfoRoutes?: 'v3.8.0' | 'v3.8.3';
}
