/**
 * Rule: a conversation the client SDK syncs from the server (its incremental sync after a
 * ConversationChangeNotification) is taken as the server holds it and announced only when it
 * differs, as the SDK core's conversation syncer does (openim-sdk-core v3.5.1
 * internal/conversation_msg sync: update and OnConversationChanged only for what changed).
 * OpenIM v3.8 omits zero values from its JSON, so without the defaults a field set back to 0
 * (ResetConversationGroupAtType, unpinning) would keep its old value in the client SDK's cache;
 * and the client SDK announces every synced conversation, changed or not.
 */

type Json = Record<string, unknown>;

/** The conversation fields the server holds, at the zero values its JSON leaves out (pbconversation.Conversation). */
const SERVER_DEFAULTS: Readonly<Json> = {
  recvMsgOpt: 0,
  isPinned: false,
  isPrivateChat: false,
  groupAtType: 0,
  burnDuration: 0,
  ex: '',
  attachedInfo: '',
  msgDestructTime: 0,
  isMsgDestruct: false,
};

/** Never compared: the server's bookkeeping that the cached conversation does not carry. */
const NOT_COMPARED = new Set(['ownerUserID']);

/**
 * The fields to write into the cached conversation for a conversation synced from the server,
 * or undefined when the cache already holds all of them (nothing to announce). A conversation
 * not cached yet is the client SDK's to fetch: passed on as the server sent it.
 */
export function syncedConversation(server: Json, cached: Json | undefined): Json | undefined {
  if (!cached) return server;
  const full: Json = { ...SERVER_DEFAULTS, ...server };
  const differs = Object.entries(full).some(([k, v]) => !NOT_COMPARED.has(k) && (cached[k] ?? SERVER_DEFAULTS[k]) !== v);
  return differs ? full : undefined;
}

/**
 * The fields of `fields` that `cached` does not hold yet, or undefined when it holds them all:
 * a write the bridge makes after its own set (the SDK core's setConversationAndSync) is announced
 * once, whether the server's change notification got there first or not.
 */
export function unsetFields(fields: Json, cached: Json | undefined): Json | undefined {
  if (!cached) return fields;
  return Object.entries(fields).some(([k, v]) => (cached[k] ?? SERVER_DEFAULTS[k]) !== v) ? fields : undefined;
}
