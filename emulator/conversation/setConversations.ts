/** The conversation rpc's SetConversations for the fields it sets on many users at once (not isPrivateChat). */
import type { ConversationPatch, ConversationStore } from './conversationStore';

/** Which conversation the request names (ConversationReq's identifying fields). */
export interface ConversationTarget {
  conversationID: string;
  conversationType: number;
  userID: string;
  groupID: string;
}

/**
 * internal/rpc/conversation/conversation.go SetConversations (v3.8.3, v3.8.3-patch.16): a user
 * whose record is new or whose fields actually change gets the fields written and a
 * ConversationChangeNotification (`announce`); a user already so is left alone and told nothing.
 */
export function setConversations(
  conversations: ConversationStore,
  announce: (userID: string, conversationID: string) => void,
  userIDs: readonly string[],
  target: ConversationTarget,
  fields: ConversationPatch,
): void {
  for (const userID of userIDs) {
    const created = conversations.ensure(userID, target.conversationID, target.conversationType, target.userID, target.groupID);
    if (Object.keys(fields).length === 0) continue;
    const before = conversations.get(userID, target.conversationID);
    const changes = Object.entries(fields).some(([k, v]) => before?.[k as keyof ConversationPatch] !== v);
    if (!created && !changes) continue;
    conversations.update(userID, target.conversationID, fields);
    announce(userID, target.conversationID);
  }
}
