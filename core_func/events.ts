/**
 * Which client-SDK callbacks reach the jssdk, under which name, in which shape.
 * Only names in open-im-sdk 3.5.2's CbEvents are sent: the jssdk treats any other event
 * name as the answer to a pending request with the same operationID.
 */
import { toJssdkConversations } from './shapes/conversation';
import { toJssdkMessage, toJssdkMessages } from './shapes/message';
import { toJssdkSelfUser } from './shapes/user';

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
  relay('OnSelfInfoUpdated', 'The logged-in user\'s profile changed.', toJssdkSelfUser),
  relay('OnRecvNewMessage', 'One new message.', toJssdkMessage),
  relay('OnRecvNewMessages', 'New messages, in order.', toJssdkMessages),
  relay('OnNewRecvMessageRevoked', 'A message was revoked.'),
  relay('OnRecvC2CReadReceipt', 'The peer read single-chat messages.'),
  relay('OnRecvGroupReadReceipt', 'Group read receipts.'),
  relay('OnConversationChanged', 'Conversations changed.', toJssdkConversations),
  relay('OnNewConversation', 'Conversations were created.', toJssdkConversations),
  relay('OnTotalUnreadMessageCountChanged', 'The total unread count (a number).'),
  relay('OnSyncServerStart', 'Initial sync started.'),
  relay('OnSyncServerFinish', 'Initial sync finished.'),
  relay('OnSyncServerFailed', 'Initial sync failed.'),
  relay('OnBlackAdded', 'A user was blacklisted.'),
  relay('OnBlackDeleted', 'A user was removed from the blacklist.'),
  relay('OnFriendApplicationAccepted', 'A friend application was accepted.'),
  relay('OnFriendApplicationAdded', 'A friend application was made.'),
  relay('OnFriendApplicationDeleted', 'A friend application was deleted.'),
  relay('OnFriendApplicationRejected', 'A friend application was refused.'),
  relay('OnFriendInfoChanged', 'A friend\'s info changed.'),
  relay('OnFriendAdded', 'A friend was added.'),
  relay('OnFriendDeleted', 'A friend was deleted.'),
  relay('OnJoinedGroupAdded', 'The user joined a group.'),
  relay('OnJoinedGroupDeleted', 'The user left or was removed from a group.'),
  relay('OnGroupDismissed', 'A group was dismissed.'),
  relay('OnGroupMemberAdded', 'A member joined a group.'),
  relay('OnGroupMemberDeleted', 'A member left a group.'),
  relay('OnGroupApplicationAdded', 'A group application was made.'),
  relay('OnGroupApplicationDeleted', 'A group application was deleted.'),
  relay('OnGroupInfoChanged', 'Group info changed.'),
  relay('OnGroupMemberInfoChanged', 'A member\'s info changed.'),
  relay('OnGroupApplicationAccepted', 'A group application was accepted.'),
  relay('OnGroupApplicationRejected', 'A group application was refused.'),
  relay('OnRecvCustomBusinessMessage', 'A custom business notification.'),
  relay('OnUserStatusChanged', 'A subscribed user\'s online status changed.'),
];

export const EVENT_RELAYS: ReadonlyMap<string, EventRelay> = new Map(EVENT_RELAY_LIST.map((r) => [r.upstream, r]));
