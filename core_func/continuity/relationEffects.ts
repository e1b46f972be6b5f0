/**
 * What a relation event the app is sent says about the app's state: which entry of which kind
 * it now has (`put`), has in a new version if it had it at all (`update`), or no longer has (`del`).
 */
import {
  BLACKS,
  FRIEND_APPLICATIONS_RECEIVED,
  FRIEND_APPLICATIONS_SENT,
  FRIENDS,
  GROUP_APPLICATIONS_RECEIVED,
  GROUP_APPLICATIONS_SENT,
  JOINED_GROUPS,
  type RelationKind,
} from './relationKinds';

type Json = Record<string, unknown>;

export interface RelationEffect {
  readonly kind: RelationKind;
  readonly key: string;
  readonly op: 'put' | 'update' | 'del';
  readonly item: Json;
}

type Effects = (item: Json, userID: string) => Array<{ kind: RelationKind; op: RelationEffect['op'] }>;

const on =
  (kind: RelationKind, op: RelationEffect['op']): Effects =>
  () => [{ kind, op }];

/** A friend application is the user's received one or sent one, by its direction. */
const friendApplication =
  (op: RelationEffect['op']): Effects =>
  (a, userID) => [
    ...(a.toUserID === userID ? [{ kind: FRIEND_APPLICATIONS_RECEIVED, op }] : []),
    ...(a.fromUserID === userID ? [{ kind: FRIEND_APPLICATIONS_SENT, op }] : []),
  ];

/** A group application is the user's own when it names the user, else one to a group the user manages. */
const groupApplication =
  (op: RelationEffect['op']): Effects =>
  (a, userID) => [{ kind: a.userID === userID ? GROUP_APPLICATIONS_SENT : GROUP_APPLICATIONS_RECEIVED, op }];

const EFFECTS: ReadonlyMap<string, Effects> = new Map([
  ['OnFriendAdded', on(FRIENDS, 'put')],
  ['OnFriendInfoChanged', on(FRIENDS, 'update')],
  ['OnFriendDeleted', on(FRIENDS, 'del')],
  ['OnBlackAdded', on(BLACKS, 'put')],
  ['OnBlackDeleted', on(BLACKS, 'del')],
  ['OnFriendApplicationAdded', friendApplication('put')],
  ['OnFriendApplicationAccepted', friendApplication('put')],
  ['OnFriendApplicationRejected', friendApplication('put')],
  ['OnFriendApplicationDeleted', friendApplication('del')],
  ['OnJoinedGroupAdded', on(JOINED_GROUPS, 'put')],
  ['OnGroupInfoChanged', on(JOINED_GROUPS, 'update')],
  ['OnGroupDismissed', on(JOINED_GROUPS, 'update')],
  ['OnJoinedGroupDeleted', on(JOINED_GROUPS, 'del')],
  ['OnGroupApplicationAdded', groupApplication('put')],
  ['OnGroupApplicationAccepted', groupApplication('put')],
  ['OnGroupApplicationRejected', groupApplication('put')],
  ['OnGroupApplicationDeleted', groupApplication('del')],
]);

/** Events that say more than the state they leave: the client SDK sends OnGroupDismissed right after the OnGroupInfoChanged of the same state. */
const ALWAYS_SENT = new Set(['OnGroupDismissed']);

/** Whether an event may be left out when the app already has the state it tells of. */
export function mayBeRedundant(event: string): boolean {
  return EFFECTS.has(event) && !ALWAYS_SENT.has(event);
}

/** The entries an event sent to the app changes; none for other events or unusable data. */
export function effectsOf(event: string, data: unknown, userID: string): RelationEffect[] {
  const effects = EFFECTS.get(event);
  if (!effects || typeof data !== 'object' || data === null) return [];
  const item = data as Json;
  return effects(item, userID).flatMap(({ kind, op }) => {
    const key = kind.key(item);
    return key === undefined ? [] : [{ kind, key, op, item }];
  });
}
