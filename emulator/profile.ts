/**
 * Release profiles: the few behaviours that change between the OpenIM server releases the
 * emulator follows, as switches read by the code that differs (never copies of that code).
 * Each switch names the real file and function at the tags where it changes.
 */
export const PROFILE_NAMES = ['v3.8.0', 'v3.8.3', 'v3.8.3-patch.16'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * The release the emulator follows unless told otherwise: openimsdk/open-im-server tag
 * v3.8.3-patch.16, the newest v3.8.3 patch published.
 */
export const DEFAULT_PROFILE: ProfileName = 'v3.8.3-patch.16';

export interface EmulatorProfile {
  readonly name: ProfileName;
  /**
   * internal/msggateway/ws_server.go multiTerminalLoginChecker: from v3.8.3-patch.8 its
   * `checkSameTokenFunc` leaves older connections that carry the new connection's token alone;
   * before, policy 1 kicks every older connection of the platform (KickOnlineMsg), the same token
   * included. In both, InvalidateToken preserves the new connection's token, so that token is
   * never marked kicked under policy 1 (internal/rpc/auth/auth.go InvalidateToken).
   */
  readonly keepSameTokenConnections: boolean;
  /**
   * ws_server.go wsHandler: before v3.8.3-patch.13 only a ParseToken error is written after an
   * upgrade when isMsgResp is true (long_conn.go GWebSocket.RespondWithError); a token whose user
   * or platform does not match the URL (validateRespWithRequest) is a plain HTTP reply
   * (httpError), which the client SDK sees as a network error. From patch.13 `handlerError`
   * upgrades and writes that error too. (Argument errors stay plain HTTP in every profile: from
   * patch.14 ShouldSendResp reads the parsed info, which a failed parse never sets.)
   */
  readonly upgradeTokenMismatchError: boolean;
  /**
   * internal/msggateway/context.go: 'v3.8.0' and 'v3.8.3' are ParseEssentialArgs (token, sendID
   * and platformID must be present, platformID an int; v3.8.3 adds sdkType '', go or js;
   * isMsgResp and isBackground that do not parse count as false); 'patch.14' is
   * parseByQuery + checkInfo (isMsgResp must parse, isBackground must parse or the raw
   * strconv error is returned, operationID/token/sendID must be non-empty, platformID must be
   * a known platform, sdkType '', go or js).
   */
  readonly connArgRules: 'v3.8.0' | 'v3.8.3' | 'patch.14';
  /**
   * pkg/common/storage/controller/friend.go RefuseFriendRequest: refusing an already handled
   * request is servererrs.ErrFriendRequestHandled (1305) from v3.8.3-patch.16, before that a
   * plain fmt.Errorf, which the api answers as 500.
   */
  readonly friendRequestHandledCode: 1305 | 500;
  /**
   * internal/rpc/msg/send.go setConversationAtInfo (emulator/msg/atInfo.ts): 'v3.8.0' marks the
   * listed users unfiltered and, for the AtAllTag, every member including the sender; from the
   * v3.8.3 tag only members are marked and the sender never gets AtAll.
   */
  readonly atInfoRules: 'v3.8.0' | 'v3.8.3';
  /**
   * internal/api/router.go: 'v3.8.0' serves only `/group/set_group_info` (GroupApi.SetGroupInfo;
   * `/group/set_group_info_ex` is gin's plain-text 404), and internal/rpc/group/group.go
   * SetGroupInfo counts a set announcement as one changed field where UpdateGroupInfoMap wrote
   * three, so an announcement alone also sends GroupInfoSetNotification. From the v3.8.3 tag both
   * routes exist (SetGroupInfoEx added) and SetGroupInfo subtracts the three (`num -= 3`).
   */
  readonly groupInfoRoutes: 'v3.8.0' | 'v3.8.3';
  /**
   * The protocol release's generated map fields (http/goJson.ts): go.mod of v3.8.0 pins protocol
   * v0.0.69, whose map fields are tagged `json:"...,omitempty"` (an empty map is left out); v3.8.3
   * (v0.0.72-alpha.71) and patch.16 (v0.0.73-alpha.12) write them without `omitempty`, so an empty
   * map the server made is `{}` (v0.0.72-alpha.71 keeps it only on GetMsgByConversationIDsResp,
   * which no client route serves).
   */
  readonly mapsOmitEmpty: boolean;
  /**
   * protocol sdkws/sdkws.go MsgData.Check (SendMsgReq.Check, run on every WS send): 'v3.8.0'
   * (v0.0.69) refuses an empty sendID or a nil content; from v0.0.72 ('v3.8.3') also a
   * notification session (4) whose content type is not OANotification (1400), and an
   * OANotification outside it.
   */
  readonly msgDataCheck: 'v3.8.0' | 'v3.8.3';
  /**
   * internal/rpc/conversation GetSortedConversationList, for a conversation whose max seq finds no
   * message: 'panic' (v3.8.0, v3.8.3: it reads the nil MsgInfo, the rpc's recover answers
   * ErrPanic, 500), 'createTime' (from v3.8.3-patch.11: sorted by the conversation's create time,
   * msgInfo null).
   */
  readonly sortedListWithoutMessage: 'panic' | 'createTime';
  /**
   * The group conversation's seq bound on leave and join. Leave (group.go and push_handler.go
   * deleteMemberAndSetConversationSeq → conversation.go SetConversationMaxSeq): 'v3.8.0' writes
   * the record's max_seq only, no ConversationChangeNotification; from 'v3.8.3' the user's max
   * seq too and a 1300 per user. Join: every release runs CreateGroupChatConversations (max seq
   * back to 0, no notification); from v3.8.3-patch.14 ('patch.14') group.go setMemberJoinSeq then
   * runs SetConversationMaxSeq(0) with its 1300 after an invitation, a direct join or an accepted
   * application (not on create).
   */
  readonly memberSeqRules: 'v3.8.0' | 'v3.8.3' | 'patch.14';
  /**
   * internal/rpc/msg/delete.go clearConversation without isSyncOther: from the v3.8.3 tag it calls
   * the conversation rpc's SetConversationMinSeq per conversation (the record's min_seq and a
   * ConversationChangeNotification, 1300); v3.8.0 sets the user's min seqs only.
   */
  readonly clearSetsConversationMinSeq: boolean;
  /**
   * pkg/common/storage/controller/msg.go handlerQuote (emulator/msg/quoteRevoked.ts): on every pull
   * from the v3.8.3 tag, a quote of a revoked message is answered with the quoted message as a
   * revoke (2101); 'v3.8.3' skips quoted messages with empty content, 'patch.16' does not; 'none'
   * for v3.8.0, whose handlerDBMsg runs only on messages past the Redis cache (a day).
   */
  readonly quoteRevokedRules: 'none' | 'v3.8.3' | 'patch.16';
}

const PROFILES: Record<ProfileName, EmulatorProfile> = {
  'v3.8.0': { name: 'v3.8.0', keepSameTokenConnections: false, upgradeTokenMismatchError: false, connArgRules: 'v3.8.0', friendRequestHandledCode: 500, atInfoRules: 'v3.8.0', groupInfoRoutes: 'v3.8.0', mapsOmitEmpty: true, msgDataCheck: 'v3.8.0', sortedListWithoutMessage: 'panic', memberSeqRules: 'v3.8.0', clearSetsConversationMinSeq: false, quoteRevokedRules: 'none' },
  'v3.8.3': { name: 'v3.8.3', keepSameTokenConnections: false, upgradeTokenMismatchError: false, connArgRules: 'v3.8.3', friendRequestHandledCode: 500, atInfoRules: 'v3.8.3', groupInfoRoutes: 'v3.8.3', mapsOmitEmpty: false, msgDataCheck: 'v3.8.3', sortedListWithoutMessage: 'panic', memberSeqRules: 'v3.8.3', clearSetsConversationMinSeq: true, quoteRevokedRules: 'v3.8.3' },
  'v3.8.3-patch.16': { name: 'v3.8.3-patch.16', keepSameTokenConnections: true, upgradeTokenMismatchError: true, connArgRules: 'patch.14', friendRequestHandledCode: 1305, atInfoRules: 'v3.8.3', groupInfoRoutes: 'v3.8.3', mapsOmitEmpty: false, msgDataCheck: 'v3.8.3', sortedListWithoutMessage: 'createTime', memberSeqRules: 'patch.14', clearSetsConversationMinSeq: true, quoteRevokedRules: 'patch.16' },
};

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

/** The profile of that name (default: DEFAULT_PROFILE); an unknown name is an error, not a silent default. */
export function resolveProfile(name: string | undefined): EmulatorProfile {
  if (name === undefined || name === '') return PROFILES[DEFAULT_PROFILE];
  if (!isProfileName(name)) throw new Error(`unknown emulator profile "${name}" (known: ${PROFILE_NAMES.join(', ')})`);
  return PROFILES[name];
}
