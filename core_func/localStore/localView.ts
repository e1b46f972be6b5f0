/**
 * Applies a user's local data to what the client SDK returns, so messages deleted or cleared
 * locally stay gone, inserted messages appear, and drafts, localEx and hidden conversations
 * show as the OpenIM SDK core's local database would show them.
 */
import { BridgeError, ErrorCode } from '../../common/errors';
import type { CallContext } from '../adapter';
import type { UserLocalStore } from './localStore';

type Json = Record<string, unknown>;

export function userStore(ctx: CallContext): UserLocalStore {
  if (!ctx.localStore) throw new BridgeError(ErrorCode.Unknown, 'the bridge has no local data directory configured (openIMDbDir)');
  return ctx.localStore.forUser(ctx.userID);
}

/** A JSON field that should be a number; anything else reads as 0, as a missing column would. */
export function numberOrZero(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** Messages as the local database holds them: without deleted or cleared ones, with localEx. */
export async function localMessageView(store: UserLocalStore, conversationID: string, messages: readonly Json[]): Promise<Json[]> {
  const [deleted, clearedAt, exes] = await Promise.all([store.deletedIDs(conversationID), store.clearedAt(conversationID), store.localExes(conversationID)]);
  return messages
    .filter((m) => !deleted.has(String(m.clientMsgID)) && (clearedAt === 0 || numberOrZero(m.sendTime) > clearedAt))
    .map((m) => {
      const ex = exes.get(String(m.clientMsgID));
      return ex === undefined ? m : { ...m, localEx: ex };
    });
}

/** Sorts by send time, oldest first, as history pages are returned. */
export function bySendTime(a: Json, b: Json): number {
  return numberOrZero(a.sendTime) - numberOrZero(b.sendTime) || numberOrZero(a.seq) - numberOrZero(b.seq);
}

export interface ConversationViewOptions {
  /** Drop conversations hidden since their latest message (list views). */
  readonly dropHidden: boolean;
}

/** Conversations with the local draft, and without latestMsg when it was cleared locally. */
export async function localConversationView(store: UserLocalStore, conversations: readonly Json[], opts: ConversationViewOptions): Promise<Json[]> {
  const drafts = await store.drafts();
  const out: Json[] = [];
  for (const c of conversations) {
    const id = String(c.conversationID);
    const latestTime = numberOrZero(c.latestMsgSendTime);
    if (opts.dropHidden) {
      const hiddenAt = await store.hiddenAt(id);
      if (hiddenAt > 0 && latestTime <= hiddenAt) continue;
    }
    let view: Json = c;
    const clearedAt = await store.clearedAt(id);
    if (clearedAt > 0 && latestTime <= clearedAt && c.latestMsg) view = { ...view, latestMsg: '' };
    const draft = drafts.get(id);
    if (draft) view = { ...view, draftText: draft.draftText, draftTextTime: draft.draftTextTime };
    out.push(view);
  }
  return out;
}
