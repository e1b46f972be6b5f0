/**
 * The parity review: for each event the bridge relays and each conversation/message field it
 * answers, what openim-sdk-core v3.5.1 does and what the bridge does. Each row names the
 * end-to-end test that shows it, or says why the bridge differs; docs/API.md is generated from
 * this list and test/unit/docsInStep.test.ts refuses a row with neither, or a test that does not exist.
 */

export interface ParityTest {
  /** A test file under test/. */
  readonly file: string;
  /** The exact name given to `it(...)` in that file. */
  readonly name: string;
}

export interface ParityRow {
  readonly topic: string;
  /** What the SDK core does, with the source it was read from (openim-sdk-core tag v3.5.1 unless said). */
  readonly sdkCore: string;
  /** What a jssdk app gets through the bridge. */
  readonly bridge: string;
  /** Absent: the bridge does what the SDK core does. Present: how and why it differs. */
  readonly difference?: string;
  readonly test?: ParityTest;
}

const CORE = 'test/bridge/api/sdkCore.test.ts';
const CONV = 'test/bridge/api/conversation.test.ts';
const OPS = 'test/bridge/api/message.ops.test.ts';

export const PARITY_ROWS: readonly ParityRow[] = [
  {
    topic: 'New messages: own sends',
    sdkCore: 'doMsgNew (conversation_msg.go): a pushed message of the logged-in user that is already in the local database (this terminal sent it, found by clientMsgID) is only updated, never reported.',
    bridge: 'OnRecvNewMessages leaves out the session\'s own sends, recognised by clientMsgID (core_func/coreRules/ownSends.ts).',
    test: { file: CORE, name: 'are not reported back to the sending session as OnRecvNewMessages; only the peer\'s reply is' },
  },
  {
    topic: 'New messages: the same user on another device',
    sdkCore: 'doMsgNew: an own message not in the local database (sent elsewhere) updates the conversation and is reported as new.',
    bridge: 'Reported in OnRecvNewMessages.',
    test: { file: CORE, name: 'a message the same user sent from another device is reported, as the SDK core does' },
  },
  {
    topic: 'New messages: from others (OnRecvNewMessages, OnNewConversation, OnConversationChanged)',
    sdkCore: 'doMsgNew: messages with the conversationUpdate option are reported in one batch (batchNewMessages), then new and changed conversations are announced.',
    bridge: 'Relayed from the client SDK\'s batch.',
    test: { file: OPS, name: 'delivers OnRecvNewMessages, OnNewConversation, OnConversationChanged and OnTotalUnreadMessageCountChanged for a message sent by the admin REST API' },
  },
  {
    topic: 'New messages: notifications shown as messages (group notifications) and not (conversation, friend, user, read receipts)',
    sdkCore: 'doMsgNew reports what carries the conversationUpdate option (group notifications do); other notifications go to their own handlers (conversation_notification.go, relation/group/user packages), not to the message listener.',
    bridge: 'As the client SDK splits them: the server\'s options decide; the group-created notification shows in the group\'s history and conversation.',
    test: { file: CORE, name: 'a group message the user sent does not count as unread for the sender' },
  },
  {
    topic: 'New messages: business notifications',
    sdkCore: 'Business notifications fire OnRecvCustomBusinessMessage (business package), not a message.',
    bridge: 'Relayed OnRecvCustomBusinessMessage with key and data.',
    test: { file: OPS, name: 'delivers OnRecvCustomBusinessMessage with the notification content' },
  },
  {
    topic: 'unreadCount: own messages',
    sdkCore: 'doMsgNew adds 1 only in the branch for messages sent by others (and only with the unreadCount option and a seq above the recorded max).',
    bridge: 'Own messages have the unreadCount option turned off before the client SDK counts them (core_func/coreRules/ownMessagesNotUnread.ts).',
    test: { file: CORE, name: 'own messages never count as unread, in the conversation or the total; the peer\'s do' },
  },
  {
    topic: 'unreadCount: a conversation first seen through a push',
    sdkCore: 'doMsgNew counts the new conversation\'s unread messages itself (one per message from others).',
    bridge: 'The client SDK fetches the conversation from the server and takes maxSeq - hasReadSeq.',
    difference: 'The count is the server\'s: right with open-im-server (it advances the sender\'s has-read seq on send), off by the sender\'s own messages with a server that does not (the emulator before issue 15). The sender\'s own later messages do not count either way.',
  },
  {
    topic: 'unreadCount: MarkConversationMessageAsRead',
    sdkCore: 'markConversationMessageAsRead (read_drawing.go): unread_count 0, the read seqs reported to the server, the peer gets a receipt.',
    bridge: 'As the SDK core.',
    test: { file: CONV, name: 'MarkConversationMessageAsRead zeroes the unread count, and the sender gets OnRecvC2CReadReceipt' },
  },
  {
    topic: 'Read receipts (single chat): the peer read my messages',
    sdkCore: 'doReadDrawing (read_drawing.go): the messages named by the receipt\'s seqs get isRead and hasReadTime, latestMsg is updated when it is one of them, OnRecvC2CReadReceipt fires; unreadCount and the user\'s own read seq are not touched.',
    bridge: 'As the SDK core (core_func/coreRules/peerReadReceipt.ts); the client SDK alone set unreadCount to 0 and moved the user\'s read seq to the peer\'s.',
    test: { file: CORE, name: 'the peer reading my message marks it isRead and leaves my unread count (its reply is still unread)' },
  },
  {
    topic: 'Read receipts: the user read on another device',
    sdkCore: 'doReadDrawing → doUnreadCount: the conversation\'s unread count drops by the newly read seqs (single chat) or to 0 (group), OnConversationChanged and the total follow.',
    bridge: 'As the SDK core (core_func/coreRules/ownReadElsewhere.ts); the client SDK alone ignored the receipt until the next login.',
    test: { file: CORE, name: 'what the user read on another device is read in this session too: unread 0, and the total' },
  },
  {
    topic: 'Read receipts (group): OnRecvGroupReadReceipt',
    sdkCore: 'v3.5.1 has the group branch of doReadDrawing commented out: no group receipts are reported.',
    bridge: 'Relayed when emitted; @openim/client-sdk 0.0.14 never emits it, so nothing fires, as in the SDK core.',
    difference: 'None in effect; there is no event to test.',
  },
  {
    topic: 'Total unread (OnTotalUnreadMessageCountChanged, GetTotalUnreadMsgCount)',
    sdkCore: 'The sum of unread over conversations that notify (conversation_notification.go TotalUnreadMessageChanged), announced after new messages that counted, reads and deletes.',
    bridge: 'Recomputed from the conversation list after every conversation event and announced when it changes (core_func/coreRules/unreadTotal.ts).',
    test: { file: CORE, name: 'own messages never count as unread, in the conversation or the total; the peer\'s do' },
  },
  {
    topic: 'latestMsg and latestMsgSendTime',
    sdkCore: 'doMsgNew/diff: the newest message by sendTime becomes latestMsg (a MessageItem JSON string) with its sendTime.',
    bridge: 'As the SDK core (the client SDK keeps the same fields).',
    test: { file: OPS, name: 'delivers OnRecvNewMessages, OnNewConversation, OnConversationChanged and OnTotalUnreadMessageCountChanged for a message sent by the admin REST API' },
  },
  {
    topic: 'groupAtType: @-mentions',
    sdkCore: 'Taken from the server: open-im-server msg/send.go setConversationAtInfo (v3.8.0, v3.8.3, v3.8.3-patch.16) writes AtMe / AtAll / AtAllAtMe through conversation SetConversations, which sends each changed user a ConversationChangeNotification; the SDK core syncs it (its genConversationGroupAtType is never called in v3.5.1).',
    bridge: 'As the SDK core: the client SDK\'s sync of the server\'s change, zero values included, announced only when it differs (core_func/coreRules/conversationSync.ts).',
    test: { file: CORE, name: 'sets AtAll for the members (the sender too on v3.8.0 only), and AtAllAtMe for a member mentioned besides' },
  },
  {
    topic: 'groupAtType: ResetConversationGroupAtType',
    sdkCore: 'sdk.go ResetConversationGroupAtType → setConversationAndSync: the server\'s field set to 0, then the conversation synced (one OnConversationChanged).',
    bridge: 'As the SDK core: set_conversations, then the value written into the cache once; the server\'s change notification is not announced again.',
    test: { file: CORE, name: 'sets AtMe on the mentioned member\'s conversation only; ResetConversationGroupAtType clears it' },
  },
  {
    topic: 'groupAtType: after a login',
    sdkCore: 'Whatever the server holds.',
    bridge: 'As the SDK core (the server holds the mention and the reset).',
    test: { file: CORE, name: 'the mark is the server\'s: still set after a fresh login; ResetConversationGroupAtType clears it with one OnConversationChanged, and a re-login keeps it cleared' },
  },
  {
    topic: 'groupAtType: group announcements (GroupNotification)',
    sdkCore: 'Whatever the server holds: open-im-server group.go SetGroupInfo / SetGroupInfoEx (v3.8.0, v3.8.3, v3.8.3-patch.16) set GroupNotification (4) on every member\'s conversation, the operator\'s included, through conversation SetConversations (a ConversationChangeNotification each) when a non-empty announcement is set; the SDK core syncs it. Marking as read does not clear it (read_drawing.go has no groupAtType); ResetConversationGroupAtType does.',
    bridge: 'As the SDK core: the client SDK\'s sync of the server\'s change (core_func/coreRules/conversationSync.ts), cleared by ResetConversationGroupAtType.',
    test: { file: CORE, name: 'a new announcement sets GroupNotification on every member\'s conversation, the operator\'s too; ResetConversationGroupAtType clears it' },
  },
  {
    topic: 'draftText',
    sdkCore: 'SetConversationDraft stores the draft locally (draft_text, draft_text_time) and conversation lists show it.',
    bridge: 'Kept in the bridge\'s local store per user and merged into every conversation it answers.',
    test: { file: CONV, name: 'SetConversationDraft stores a draft that conversation lists show, across a new login' },
  },
  {
    topic: 'isPinned and recvMsgOpt',
    sdkCore: 'setConversationAndSync (sdk.go): the server\'s field is set, then the conversation synced and OnConversationChanged fired.',
    bridge: 'As the SDK core; zero values are written back too (ResetConversationGroupAtType, PinConversation(false)).',
    test: { file: CONV, name: 'PinConversation, SetConversationRecvMessageOpt, SetConversationPrivateChat and SetConversationBurnDuration change the conversation' },
  },
  {
    topic: 'Hidden conversations coming back on a new message',
    sdkCore: 'doMsgNew: a hidden conversation that gets a message is announced again (as changed, keeping pin, recvMsgOpt and groupAtType).',
    bridge: 'As the SDK core: it shows in the list again.',
    test: { file: CONV, name: 'HideConversation leaves the conversation out of the list until a new message arrives' },
  },
  {
    topic: 'Revoke: OnNewRecvMessageRevoked (and the older OnRecvMessageRevoked)',
    sdkCore: 'revokeMessage (revoke.go): the message becomes a revoke notification, latestMsg is updated, OnNewRecvMessageRevoked fires with the RevokedInfo.',
    bridge: 'As the SDK core; OnRecvMessageRevoked is sent too for apps written for the older name.',
    test: { file: OPS, name: 'RevokeMessage revokes; the peer gets OnNewRecvMessageRevoked with the RevokedInfo' },
  },
  {
    topic: 'Revoke: a message that quoted the revoked one',
    sdkCore: 'revokeMessage → quoteMsgRevokeHandle (revoke.go): quote messages that quoted it get their quoteElem.quoteMessage turned into the revoke notification.',
    bridge: 'The quoting message keeps the original quoted content.',
    difference: '@openim/client-sdk 0.0.14 does not rewrite quotes and keeps no searchable local database to find them; apps that render a quote should look the quoted clientMsgID up (it reads as revoked in history).',
  },
  {
    topic: 'Message status and isRead',
    sdkCore: 'A received or synced message has status 2 (sent); isRead is set by the user\'s reads and by receipts.',
    bridge: 'As the SDK core: status 2 for sent and received messages, isRead from the receipt rule.',
    test: { file: CORE, name: 'the peer reading my message marks it isRead and leaves my unread count (its reply is still unread)' },
  },
  {
    topic: 'Typing',
    sdkCore: 'Typing messages are online-only and never stored; v3.5.1 reports input state as OnConversationUserInputStatusChanged (entering.go).',
    bridge: 'TypingStatusUpdate sends the online-only typing message; the peer\'s SDK sees it; nothing is stored.',
    difference: 'open-im-sdk 3.5.2 has no input-status event in CbEvents, so the bridge cannot send the peer\'s typing state to a jssdk app (an unknown event name would settle a pending request).',
    test: { file: OPS, name: 'TypingStatusUpdate sends a typing notice the peer\'s SDK sees' },
  },
  {
    topic: 'OnSyncServerStart / OnSyncServerFinish',
    sdkCore: 'SyncAllConversation... (conversation_notification.go): OnSyncServerStart, the sync, then OnSyncServerFinish; the total unread is announced after the sync.',
    bridge: 'Relayed in that order after Login; the total is announced after OnSyncServerFinish when something is unread; a resumed session gets neither (nothing was re-synced).',
    test: { file: OPS, name: 'reports the initial sync with OnSyncServerStart and OnSyncServerFinish' },
  },
];
