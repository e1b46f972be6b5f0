/**
 * Which client-SDK callbacks reach the jssdk, under which name, in which shape.
 * Only names in open-im-sdk 3.5.2's CbEvents are sent: the jssdk treats any other event
 * name as the answer to a pending request with the same operationID.
 */
import { toJssdkConversations } from './shapes/conversation';
import { toJssdkGroup, toJssdkGroupApplication, toJssdkGroupMember } from './shapes/group';
import { toJssdkMessage, toJssdkMessages, toJssdkReceipts, toJssdkRevokedInfo } from './shapes/message';
import { toJssdkSelfUser } from './shapes/user';
import { invalidatingUser } from './cache/usersInfoCache';
import { toJssdkBlack, toJssdkFriend, toJssdkFriendApplication } from './shapes/friend';
import { toJssdkUserOnlineState } from './shapes/userInfo';

export interface EventRelay {
  /** The name the client SDK emits. */
  readonly upstream: string;
  /** The jssdk CbEvents name sent to the client. */
  readonly event: string;
  readonly summary: string;
  readonly convert: (data: unknown) => unknown;
}

const same = (d: unknown) => d;

function relay(upstream: string, summary: string, convert: (d: unknown) => unknown = same, event = upstream): EventRelay {
  return { upstream, event, summary, convert };
}

export const EVENT_RELAY_LIST: readonly EventRelay[] = [
  relay('OnConnecting', 'The upstream connection is being (re)established.'),
  relay('OnConnectSuccess', 'The upstream gateway accepted the session.'),
  relay('OnConnectFailed', 'The upstream connection failed; errCode/errMsg say why.'),
  relay('OnKickedOffline', 'Another login of this user and platform replaced this one.'),
  relay('OnUserTokenExpired', 'The token expired.'),
  relay('OnUserTokenInvalid', 'The token was refused; sent as OnUserTokenExpired, the nearest event open-im-sdk 3.5.2 knows.', same, 'OnUserTokenExpired'),
  relay('OnSelfInfoUpdated', 'The logged-in user\'s profile changed (SelfUserInfo).', invalidatingUser(toJssdkSelfUser)),
  relay('OnRecvNewMessage', 'One new message.', toJssdkMessage),
  relay('OnRecvNewMessages', 'New messages, in order.', toJssdkMessages),
  relay('OnNewRecvMessageRevoked', 'A message was revoked (RevokedInfo).', toJssdkRevokedInfo),
  relay('OnRecvC2CReadReceipt', 'The peer read single-chat messages (ReceiptInfo[]).', toJssdkReceipts),
  relay('OnRecvGroupReadReceipt', 'Group read receipts.'),
  relay('OnConversationChanged', 'Conversations changed.', toJssdkConversations),
  relay('OnNewConversation', 'Conversations were created.', toJssdkConversations),
  relay('OnTotalUnreadMessageCountChanged', 'The total unread count (a number).'),
  relay('OnSyncServerStart', 'Initial sync started.'),
  relay('OnSyncServerFinish', 'Initial sync finished.'),
  relay('OnSyncServerFailed', 'Initial sync failed.'),
  relay('OnBlackAdded', 'A user was blacklisted (BlackUserItem).', toJssdkBlack),
  relay('OnBlackDeleted', 'A user was removed from the blacklist (BlackUserItem; the client SDK only knows its userID).', toJssdkBlack),
  relay('OnFriendApplicationAccepted', 'A friend application was accepted (FriendApplicationItem).', toJssdkFriendApplication),
  relay('OnFriendApplicationAdded', 'A friend application was made (FriendApplicationItem).', toJssdkFriendApplication),
  relay('OnFriendApplicationDeleted', 'A friend application was deleted (FriendApplicationItem).', toJssdkFriendApplication),
  relay('OnFriendApplicationRejected', 'A friend application was refused (FriendApplicationItem).', toJssdkFriendApplication),
  relay('OnFriendInfoChanged', 'A friend\'s info changed (FriendUserItem).', invalidatingUser(toJssdkFriend)),
  relay('OnFriendAdded', 'A friend was added (FriendUserItem); for the applicant of an accepted application the bridge derives it (core_func/coreRules/followUps.ts), as the client SDK misses it.', toJssdkFriend),
  relay('OnFriendDeleted', 'A friend was deleted (FriendUserItem; the client SDK only knows its userID).', toJssdkFriend),
  relay('OnJoinedGroupAdded', 'The user joined a group (GroupItem).', toJssdkGroup),
  relay('OnJoinedGroupDeleted', 'The user left or was removed from a group: a GroupItem with only groupID set (the client SDK keeps no more; the OpenIM SDK core sent its stored GroupItem).', toJssdkGroup),
  relay('OnGroupDismissed', 'A group was dismissed (GroupItem).', toJssdkGroup),
  relay('OnGroupMemberAdded', 'A member joined a group (GroupMemberItem).', toJssdkGroupMember),
  relay('OnGroupMemberDeleted', 'A member left a group (GroupMemberItem).', toJssdkGroupMember),
  relay('OnGroupApplicationAdded', 'A group application was made (GroupApplicationItem).', toJssdkGroupApplication),
  relay('OnGroupApplicationDeleted', 'A group application was deleted (GroupApplicationItem; @openim/client-sdk 0.0.14 never emits it).', toJssdkGroupApplication),
  relay('OnGroupInfoChanged', 'Group info changed (GroupItem).', toJssdkGroup),
  relay('OnGroupMemberInfoChanged', 'A member\'s info changed (GroupMemberItem).', toJssdkGroupMember),
  relay('OnGroupApplicationAccepted', 'A group application was accepted (GroupApplicationItem).', toJssdkGroupApplication),
  relay('OnGroupApplicationRejected', 'A group application was refused (GroupApplicationItem).', toJssdkGroupApplication),
  relay('OnRecvCustomBusinessMessage', 'A custom business notification.'),
  relay('OnUserStatusChanged', 'A subscribed user\'s online status changed (UserOnlineState).', toJssdkUserOnlineState),
];

/**
 * Events sent in addition to the relay of the same upstream callback: the client SDK emits
 * only the newer form of these, and jssdk applications written for the older one wait for it.
 */
export const DERIVED_EVENT_LIST: readonly EventRelay[] = [
  relay('OnNewRecvMessageRevoked', 'Also sent as the older OnRecvMessageRevoked, with the same RevokedInfo.', toJssdkRevokedInfo, 'OnRecvMessageRevoked'),
];

/** Every relay of an upstream event, the primary one first, then those derived from it. */
const ALL_RELAYS = [...EVENT_RELAY_LIST, ...DERIVED_EVENT_LIST];
export const RELAYS_BY_UPSTREAM: ReadonlyMap<string, readonly EventRelay[]> = new Map(ALL_RELAYS.map((r) => [r.upstream, ALL_RELAYS.filter((x) => x.upstream === r.upstream)]));
