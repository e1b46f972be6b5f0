/** Conversations and unread counts. */
import { BridgeError, ErrorCode } from '../../common/errors';
import { defineAdapter, type CallContext } from '../adapter';
import { arg } from '../args';
import { localConversationView, userStore } from '../localStore/localView';
import { conversationIDOf, toJssdkConversation, toJssdkConversations } from '../shapes/conversation';
import type { UpstreamSession } from '../upstream/upstreamSession';
import { totalUnread } from '../coreRules/unreadTotal';

type Json = Record<string, unknown>;
type Ctx = CallContext & { readonly upstream: UpstreamSession };

/** getAllConversationList is built from the client SDK's paged listing. */
export const CONVERSATION_PAGE_SIZE = 500;

/** Every conversation the client SDK knows, in its order (pinned first, then latest message). */
export async function upstreamConversations(ctx: Ctx): Promise<Json[]> {
  const all: Json[] = [];
  for (let offset = 0; ; offset += CONVERSATION_PAGE_SIZE) {
    const page = await ctx.upstream.call<Json[]>('getConversationListSplit', { offset, count: CONVERSATION_PAGE_SIZE }, ctx.operationID);
    all.push(...page);
    if (page.length < CONVERSATION_PAGE_SIZE) break;
  }
  return all;
}

/** The visible list: hidden conversations dropped, drafts and local clears applied. */
async function visibleConversations(ctx: Ctx): Promise<Json[]> {
  const all = await upstreamConversations(ctx);
  return ctx.localStore ? localConversationView(userStore(ctx), all, { dropHidden: true }) : all;
}

async function oneConversation(ctx: Ctx, conversationID: string): Promise<Json> {
  const found = (await upstreamConversations(ctx)).find((c) => c.conversationID === conversationID);
  if (!found) throw new BridgeError(ErrorCode.ArgsError, `conversation ${conversationID} not found`);
  return found;
}

/**
 * The client SDK's setConversation, then the same fields written into its cache: OpenIM v3.8
 * omits zero values from its JSON, so the change notification alone never sets a field back
 * to 0/false there.
 */
async function setConversationField(ctx: Ctx, conversationID: string, fields: Json): Promise<void> {
  await oneConversation(ctx, conversationID);
  await ctx.upstream.call('setConversation', { conversationID, ...fields }, ctx.operationID);
  await ctx.upstream.patchConversation(conversationID, fields, ctx.operationID);
}

function setterAdapter<V>(method: string, valueArg: ReturnType<typeof arg.boolean> | ReturnType<typeof arg.number>, summary: string, toFields: (v: V) => Json) {
  return defineAdapter({
    method,
    args: [arg.string('conversationID'), valueArg],
    summary,
    call: async (ctx, [conversationID, value]) => {
      await setConversationField(ctx, conversationID, toFields(value as V));
      return '';
    },
  });
}

/**
 * Local hides and clears are measured in the server's clock: they cover messages up to the
 * conversation's latest one (at least 1, so an empty conversation is covered too), and a later
 * message, stamped by the server, is newer whatever the bridge's clock says.
 */
export function latestTimeOf(conversations: readonly Json[]): number {
  return Math.max(1, ...conversations.map((c) => (typeof c.latestMsgSendTime === 'number' ? c.latestMsgSendTime : 0)));
}

/** The send time of the conversation's newest message, from its history when the cached conversation lags behind. */
async function newestTimeOf(ctx: Ctx, c: Json): Promise<number> {
  const page = await ctx.upstream.call<{ messageList?: Json[] }>('getAdvancedHistoryMessageList', { conversationID: c.conversationID, startClientMsgID: '', count: 1 }, ctx.operationID);
  return latestTimeOf([c, ...(page.messageList ?? []).map((m) => ({ latestMsgSendTime: m.sendTime }))]);
}

/** Nothing to mark is success for the SDK core; the client SDK reports it as an error. */
function isNothingToRead(err: unknown): boolean {
  return err instanceof BridgeError && /hasReadSeq equal max/.test(err.message);
}

/** Before a clear the unread state goes too; a conversation with nothing to read is fine. */
async function markReadQuietly(ctx: Ctx, conversationID: string): Promise<void> {
  await ctx.upstream.call('markConversationMessageAsRead', conversationID, ctx.operationID).catch(() => undefined);
}

async function markRead(ctx: Ctx, conversationID: string): Promise<void> {
  try {
    await ctx.upstream.call('markConversationMessageAsRead', conversationID, ctx.operationID);
  } catch (err) {
    if (!isNothingToRead(err)) throw err;
  }
}

export const conversationAdapters = [
  defineAdapter({
    method: 'GetAllConversationList',
    args: [],
    summary: 'Every conversation, pinned first then by latest message time.',
    call: async (ctx) => toJssdkConversations(await visibleConversations(ctx)),
  }),
  defineAdapter({
    method: 'GetConversationListSplit',
    args: [arg.number('offset'), arg.number('count')],
    summary: 'One page of the conversation list (pinned first, then by latest message time).',
    call: async (ctx, [offset, count]) => toJssdkConversations((await visibleConversations(ctx)).slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, count))),
  }),
  defineAdapter({
    method: 'GetOneConversation',
    args: [arg.number('sessionType'), arg.string('sourceID')],
    summary: 'The conversation with a user (sessionType 1) or group (3), created locally when it does not exist yet.',
    call: async (ctx, [sessionType, sourceID]) => {
      const c = await ctx.upstream.call<Json>('getOneConversation', { sourceID, sessionType }, ctx.operationID);
      const [view] = ctx.localStore ? await localConversationView(userStore(ctx), [c], { dropHidden: false }) : [c];
      return toJssdkConversation(view);
    },
  }),
  defineAdapter({
    method: 'GetMultipleConversation',
    args: [arg.stringList('conversationIDList')],
    summary: 'The conversations with the given IDs that exist (hidden ones included).',
    call: async (ctx, [ids]) => {
      const wanted = new Set(ids);
      const found = (await upstreamConversations(ctx)).filter((c) => wanted.has(String(c.conversationID)));
      return toJssdkConversations(ctx.localStore ? await localConversationView(userStore(ctx), found, { dropHidden: false }) : found);
    },
  }),
  defineAdapter({
    method: 'GetConversationIDBySessionType',
    args: [arg.string('sourceID'), arg.number('sessionType')],
    summary: 'The conversation ID for a user or group (a string; computed, no lookup).',
    call: async (ctx, [sourceID, sessionType]) => {
      const id = conversationIDOf(ctx.userID, sourceID, sessionType);
      if (!id) throw new BridgeError(ErrorCode.ArgsError, `sessionType ${sessionType} is not 1, 2, 3 or 4`);
      return id;
    },
  }),
  defineAdapter({
    method: 'GetTotalUnreadMsgCount',
    args: [],
    summary: 'Total unread count across conversations (a number), summed as the OpenIM SDK core does.',
    difference: 'Computed from the conversation list: the client SDK\'s running total misses the first message of a new conversation.',
    call: async (ctx) => totalUnread(ctx.upstream, ctx.operationID),
  }),
  defineAdapter({
    method: 'MarkConversationMessageAsRead',
    args: [arg.string('conversationID')],
    summary: 'Marks every message of the conversation read (sends a read receipt in single chats).',
    call: async (ctx, [conversationID]) => {
      await oneConversation(ctx, conversationID);
      await markRead(ctx, conversationID);
      return '';
    },
  }),
  defineAdapter({
    method: 'SetConversationDraft',
    args: [arg.string('conversationID'), arg.string('draftText')],
    summary: 'Stores a draft for the conversation (local to this user, kept by the bridge).',
    difference: 'Saving a draft does not fire OnConversationChanged; the draft shows in conversation lists read afterwards.',
    call: async (ctx, [conversationID, draftText]) => {
      await oneConversation(ctx, conversationID);
      await userStore(ctx).setDraft(conversationID, { draftText, draftTextTime: draftText ? Date.now() : 0 });
      return '';
    },
  }),
  setterAdapter<boolean>('PinConversation', arg.boolean('isPinned'), 'Pins or unpins the conversation (synced through the server).', (isPinned) => ({ isPinned })),
  setterAdapter<number>('SetConversationRecvMessageOpt', arg.number('opt'), 'Sets the receive option: 0 normal, 1 do not receive, 2 receive without notification.', (recvMsgOpt) => ({ recvMsgOpt })),
  setterAdapter<boolean>('SetConversationPrivateChat', arg.boolean('isPrivate'), 'Turns burn-after-reading on or off.', (isPrivateChat) => ({ isPrivateChat })),
  setterAdapter<number>('SetConversationBurnDuration', arg.number('burnDuration'), 'Sets the burn-after-reading duration in seconds.', (burnDuration) => ({ burnDuration })),
  defineAdapter({
    method: 'ResetConversationGroupAtType',
    args: [arg.string('conversationID')],
    summary: 'Clears the conversation\'s @-mention state (groupAtType 0).',
    call: async (ctx, [conversationID]) => {
      await setConversationField(ctx, conversationID, { groupAtType: 0 });
      return '';
    },
  }),
  defineAdapter({
    method: 'HideConversation',
    args: [arg.string('conversationID')],
    summary: 'Removes the conversation from the list until a new message arrives in it (local).',
    difference: 'Hiding does not fire OnConversationChanged; the list read afterwards leaves the conversation out.',
    call: async (ctx, [conversationID]) => {
      const c = await oneConversation(ctx, conversationID);
      await userStore(ctx).hideConversation(conversationID, latestTimeOf([c]));
      return '';
    },
  }),
  defineAdapter({
    method: 'HideAllConversation',
    args: [],
    summary: 'Hides every conversation until new messages arrive (local).',
    difference: 'Hiding does not fire OnConversationChanged.',
    call: async (ctx) => {
      await userStore(ctx).hideAll(latestTimeOf(await upstreamConversations(ctx)));
      return '';
    },
  }),
  defineAdapter({
    method: 'ClearConversationAndDeleteAllMsg',
    args: [arg.string('conversationID')],
    summary: 'Deletes every message of the conversation for this user, on the server and locally; the conversation stays, empty and read.',
    call: async (ctx, [conversationID]) => {
      const upTo = await newestTimeOf(ctx, await oneConversation(ctx, conversationID));
      await markReadQuietly(ctx, conversationID);
      await ctx.upstream.rest('/msg/clear_conversation_msg', { conversationIDs: [conversationID], userID: ctx.userID, deleteSyncOpt: { isSyncSelf: true, isSyncOther: false } }, ctx.operationID);
      await userStore(ctx).clearConversation(conversationID, upTo);
      return '';
    },
  }),
  defineAdapter({
    method: 'DeleteConversationAndDeleteAllMsg',
    args: [arg.string('conversationID')],
    summary: 'Deletes every message of the conversation for this user (server and local) and removes it from the list until a new message arrives.',
    call: async (ctx, [conversationID]) => {
      const upTo = await newestTimeOf(ctx, await oneConversation(ctx, conversationID));
      await markReadQuietly(ctx, conversationID);
      await ctx.upstream.call('deleteConversationAndDeleteAllMsg', conversationID, ctx.operationID);
      const store = userStore(ctx);
      await store.clearConversation(conversationID, upTo);
      await store.hideConversation(conversationID, upTo);
      return '';
    },
  }),
];
