/**
 * The kinds of relation state a jssdk app keeps (friends, blacklist, friend and group
 * applications, joined groups): how the bridge reads each from the server, names its entries,
 * tells a changed entry from an unchanged one, and which events the OpenIM SDK core v3.5.1 fired
 * when its login sync found an entry inserted, updated or deleted (the `notice` callbacks of
 * `initSyncer` in internal/friend/friend.go and internal/group/group.go).
 */
import { restCall, type RestCaller } from '../upstream/rest/caller';
import { allBlacks, allFriends, allPages as allRelationPages } from '../upstream/rest/friend';
import { allPages as allGroupPages } from '../upstream/rest/group';
import { friendFromServer, toJssdkFriendApplications, type ServerFriendInfo } from '../shapes/friend';
import { groupRequestsToApplications, toJssdkGroups } from '../shapes/group';

type Json = Record<string, unknown>;

/** The server's handleResult of an application: agreed, refused (anything else is pending). */
const AGREE = 1;
const REFUSE = -1;

export interface RelationEvent {
  readonly event: string;
  readonly data: unknown;
}

/** Where the server's version log of a kind stood (OpenIM v3.8 incremental sync: the log's ID and its version). */
export interface VersionMark {
  readonly versionID: string;
  readonly version: number;
}

/**
 * The server's answer to "what changed since this mark" (get_incremental_friends): `full` when it cannot tell (another log, a mark it does not
 * know, more changes than it lists); the changed entries as jssdk items, the removed ones by key.
 */
export interface VersionedChanges extends VersionMark {
  readonly full: boolean;
  readonly changed: Json[];
  readonly deleted: string[];
}

export interface RelationKind {
  /** Short key prefix of the kind's entries in the snapshot. */
  readonly prefix: string;
  /** The kind's whole current state on the server, as jssdk items. */
  fetch(ctx: RestCaller): Promise<Json[]>;
  /** For a kind the server keeps a version log of: the changes since `mark` (none: ask for the current mark). */
  readonly since?: (ctx: RestCaller, mark: VersionMark | undefined) => Promise<VersionedChanges>;
  /** The entry an item is kept under (without the prefix); undefined for an unusable item. */
  key(item: Json): string | undefined;
  /** The fields whose change the app is told of; others (times the server restamps) are not compared. */
  readonly fields: readonly string[];
  /** Every event the three below may produce (for docs/API.md). */
  readonly emits: readonly string[];
  /** What the SDK core's syncer fired for an entry the server has and the app had not. */
  inserted(server: Json): RelationEvent[];
  updated(server: Json): RelationEvent[];
  deleted(local: Json): RelationEvent[];
}

function str(o: Json, name: string): string | undefined {
  const v = o[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function pair(a: string | undefined, b: string | undefined): string | undefined {
  return a && b ? `${a}/${b}` : undefined;
}

const one = (event: string) => (data: Json) => [{ event, data }];
const none = () => [];

/** Received and sent applications: the SDK core's requestRecvSyncer and requestSendSyncer. */
function applicationUpdate(accepted: string, rejected: string, pendingAgain: string | undefined) {
  return (server: Json): RelationEvent[] => {
    if (server.handleResult === AGREE) return [{ event: accepted, data: server }];
    if (server.handleResult === REFUSE) return [{ event: rejected, data: server }];
    return pendingAgain ? [{ event: pendingAgain, data: server }] : [];
  };
}

function asJson(list: unknown): Json[] {
  return (Array.isArray(list) ? list : []).filter((x): x is Json => typeof x === 'object' && x !== null);
}

function strings(list: unknown): string[] {
  return (Array.isArray(list) ? list : []).filter((x): x is string => typeof x === 'string' && x !== '');
}

/** The common part of an incremental-sync reply (relation/sync.go, group/sync.go: version, versionID, full, delete, insert, update). */
function versionedChanges(reply: Record<string, unknown> | null, convert: (list: unknown) => Json[]): VersionedChanges {
  const r = reply ?? {};
  const insert = convert(r.insert);
  const update = convert(r.update);
  return {
    versionID: typeof r.versionID === 'string' ? r.versionID : '',
    version: typeof r.version === 'number' ? r.version : 0,
    full: r.full === true,
    changed: [...insert, ...update],
    deleted: strings(r.delete),
  };
}

const markBody = (mark: VersionMark | undefined) => ({ versionID: mark?.versionID ?? '', version: mark?.version ?? 0 });

const FRIEND_FIELDS = ['userID', 'remark', 'nickname', 'faceURL', 'ex', 'addSource', 'isPinned'];
const APPLICATION_FIELDS = ['fromUserID', 'toUserID', 'handleResult', 'reqMsg', 'handleMsg', 'fromNickname', 'fromFaceURL', 'toNickname', 'toFaceURL', 'ex'];
const GROUP_FIELDS = ['groupID', 'groupName', 'notification', 'introduction', 'faceURL', 'ownerUserID', 'memberCount', 'status', 'needVerification', 'lookMemberInfo', 'applyMemberFriend', 'ex'];
const GROUP_APPLICATION_FIELDS = ['groupID', 'userID', 'handleResult', 'reqMsg', 'handledMsg', 'groupName', 'nickname'];

export const FRIENDS: RelationKind = {
  prefix: 'f',
  fetch: async (ctx) => asJson(await allFriends(ctx)),
  since: async (ctx, mark) =>
    versionedChanges(await restCall<Record<string, unknown> | null>(ctx, '/friend/get_incremental_friends', { userID: ctx.userID, ...markBody(mark) }), (list) =>
      asJson((Array.isArray(list) ? (list as ServerFriendInfo[]) : []).map(friendFromServer)),
    ),
  key: (f) => str(f, 'userID'),
  emits: ['OnFriendAdded', 'OnFriendInfoChanged', 'OnFriendDeleted'],
  fields: FRIEND_FIELDS,
  inserted: one('OnFriendAdded'),
  updated: one('OnFriendInfoChanged'),
  deleted: one('OnFriendDeleted'),
};

export const BLACKS: RelationKind = {
  prefix: 'b',
  fetch: async (ctx) => asJson(await allBlacks(ctx)),
  key: (b) => str(b, 'userID'),
  emits: ['OnBlackAdded', 'OnBlackDeleted'],
  fields: ['userID'],
  inserted: one('OnBlackAdded'),
  updated: none,
  deleted: one('OnBlackDeleted'),
};

/** Applications the user received (SyncAllFriendApplication). */
export const FRIEND_APPLICATIONS_RECEIVED: RelationKind = {
  prefix: 'ar',
  fetch: async (ctx) => asJson(toJssdkFriendApplications(await allRelationPages(ctx, '/friend/get_friend_apply_list', { userID: ctx.userID }, 'FriendRequests'))),
  key: (a) => pair(str(a, 'fromUserID'), str(a, 'toUserID')),
  emits: ['OnFriendApplicationAdded', 'OnFriendApplicationAccepted', 'OnFriendApplicationRejected', 'OnFriendApplicationDeleted'],
  fields: APPLICATION_FIELDS,
  inserted: one('OnFriendApplicationAdded'),
  updated: applicationUpdate('OnFriendApplicationAccepted', 'OnFriendApplicationRejected', 'OnFriendApplicationAdded'),
  deleted: one('OnFriendApplicationDeleted'),
};

/** Applications the user sent (SyncAllSelfFriendApplication). */
export const FRIEND_APPLICATIONS_SENT: RelationKind = {
  ...FRIEND_APPLICATIONS_RECEIVED,
  prefix: 'as',
  fetch: async (ctx) => asJson(toJssdkFriendApplications(await allRelationPages(ctx, '/friend/get_self_friend_apply_list', { userID: ctx.userID }, 'friendRequests'))),
  updated: applicationUpdate('OnFriendApplicationAccepted', 'OnFriendApplicationRejected', undefined),
};

/**
 * Joined groups (groupSyncer): a dismissed group is OnGroupDismissed, not a change. Read whole:
 * the server's join log (get_incremental_join_groups) records joins and leaves only; a group's
 * own changes (name, notification, …) are logged per group with its members, which the SDK core
 * v3.8 reads with get_incremental_group_members_batch, one mark per group.
 */
export const JOINED_GROUPS: RelationKind = {
  prefix: 'g',
  fetch: async (ctx) => asJson(toJssdkGroups(await allGroupPages(ctx, '/group/get_joined_group_list', { fromUserID: ctx.userID }, 'groups'))),
  key: (g) => str(g, 'groupID'),
  emits: ['OnJoinedGroupAdded', 'OnGroupInfoChanged', 'OnGroupDismissed', 'OnJoinedGroupDeleted'],
  fields: GROUP_FIELDS,
  inserted: one('OnJoinedGroupAdded'),
  updated: (g) => [{ event: g.status === GROUP_DISMISSED ? 'OnGroupDismissed' : 'OnGroupInfoChanged', data: g }],
  deleted: one('OnJoinedGroupDeleted'),
};
const GROUP_DISMISSED = 2;

/** Applications to the groups the user manages (groupAdminRequestSyncer; it had no delete notice). */
export const GROUP_APPLICATIONS_RECEIVED: RelationKind = {
  prefix: 'gr',
  fetch: async (ctx) => asJson(groupRequestsToApplications(await allGroupPages(ctx, '/group/get_recv_group_applicationList', { fromUserID: ctx.userID }, 'groupRequests'))),
  key: (a) => pair(str(a, 'groupID'), str(a, 'userID')),
  emits: ['OnGroupApplicationAdded', 'OnGroupApplicationAccepted', 'OnGroupApplicationRejected'],
  fields: GROUP_APPLICATION_FIELDS,
  inserted: one('OnGroupApplicationAdded'),
  updated: applicationUpdate('OnGroupApplicationAccepted', 'OnGroupApplicationRejected', 'OnGroupApplicationAdded'),
  deleted: none,
};

/** The user's own group applications (groupRequestSyncer). */
export const GROUP_APPLICATIONS_SENT: RelationKind = {
  ...GROUP_APPLICATIONS_RECEIVED,
  prefix: 'gs',
  fetch: async (ctx) => asJson(groupRequestsToApplications(await allGroupPages(ctx, '/group/get_user_req_group_applicationList', { userID: ctx.userID }, 'groupRequests'))),
};

/** In the order the SDK core v3.5.1 started their syncs at MsgSyncBegin (conversation_notification.go, doNotificationNew). */
export const RELATION_KINDS: readonly RelationKind[] = [
  BLACKS,
  FRIENDS,
  FRIEND_APPLICATIONS_RECEIVED,
  FRIEND_APPLICATIONS_SENT,
  JOINED_GROUPS,
  GROUP_APPLICATIONS_RECEIVED,
  GROUP_APPLICATIONS_SENT,
];

/** The compared fields of an item, in a fixed order, as one string. */
export function digest(kind: RelationKind, item: Json): string {
  return JSON.stringify(kind.fields.map((f) => item[f] ?? null));
}
