/**
 * Message history as the OpenIM SDK core's local database would answer it, built from the
 * client SDK's synced history (its cache, filled from the server on demand) and the bridge's
 * local data: pages, lookups by clientMsgID, and local search.
 */
import type { CallContext } from '../adapter';
import type { UpstreamSession } from '../upstream/upstreamSession';
import { bySendTime, localMessageView, numberOrZero, userStore } from './localView';
import type { UserLocalStore } from './localStore';

type Json = Record<string, unknown>;
export type HistoryCtx = CallContext & { readonly upstream: UpstreamSession };

/** Page size used when the bridge walks a conversation's history itself. */
export const HISTORY_SCAN_PAGE = 100;
/** Most messages of one conversation that FindMessageList and SearchLocalMessages look through. */
export const HISTORY_SCAN_LIMIT = 2000;

export interface HistoryQuery {
  readonly conversationID: string;
  readonly startClientMsgID: string;
  readonly count: number;
}

export interface HistoryPage {
  isEnd: boolean;
  lastMinSeq: number;
  errCode: number;
  errMsg: string;
  messageList: Json[];
}

function storeOf(ctx: HistoryCtx): UserLocalStore | undefined {
  return ctx.localStore ? userStore(ctx) : undefined;
}

/** A conversation ID no conversation has: paging it answers at once, without a network call. */
const NO_CONVERSATION = '\u0000bridge-reset';

async function upstreamPage(ctx: HistoryCtx, q: HistoryQuery, reverse: boolean): Promise<{ isEnd: boolean; messageList: Json[] }> {
  if (!reverse) {
    // The client SDK keeps the last page's position per instance and uses it instead of
    // startClientMsgID while the conversation stays the same; paging another conversation
    // first makes every page start where its startClientMsgID says.
    await ctx.upstream.call('getAdvancedHistoryMessageList', { conversationID: NO_CONVERSATION, startClientMsgID: '', count: 1 }, ctx.operationID);
  }
  const method = reverse ? 'getAdvancedHistoryMessageListReverse' : 'getAdvancedHistoryMessageList';
  const res = await ctx.upstream.call<{ isEnd?: boolean; messageList?: Json[] }>(method, { conversationID: q.conversationID, startClientMsgID: q.startClientMsgID, count: q.count }, ctx.operationID);
  return { isEnd: res.isEnd ?? true, messageList: res.messageList ?? [] };
}

/**
 * One history page (older messages, or newer ones when `reverse`), with local deletes and
 * clears applied and locally inserted messages merged in by send time.
 */
export async function historyPage(ctx: HistoryCtx, q: HistoryQuery, reverse: boolean): Promise<HistoryPage> {
  // The client SDK's forward page starts with the start message itself; the SDK core's does not.
  const inclusive = reverse && q.startClientMsgID !== '';
  const page = await upstreamPage(ctx, inclusive ? { ...q, count: q.count + 1 } : q, reverse);
  const store = storeOf(ctx);
  let list = inclusive ? page.messageList.filter((m) => m.clientMsgID !== q.startClientMsgID).slice(0, q.count) : page.messageList;
  if (store) {
    const inserted = await store.insertedMessages(q.conversationID);
    const times = list.map((m) => numberOrZero(m.sendTime));
    const start = inserted.find((m) => m.clientMsgID === q.startClientMsgID);
    const startTime = start ? numberOrZero(start.sendTime) : undefined;
    const oldest = times.length ? Math.min(...times) : startTime ?? Infinity;
    const newest = times.length ? Math.max(...times) : startTime ?? -Infinity;
    const low = reverse ? startTime ?? oldest : page.isEnd ? -Infinity : oldest;
    const high = reverse ? (page.isEnd ? Infinity : newest) : q.startClientMsgID ? startTime ?? newest : Infinity;
    const merged = inserted.filter((m) => m.clientMsgID !== q.startClientMsgID && numberOrZero(m.sendTime) >= low && numberOrZero(m.sendTime) <= high);
    list = await localMessageView(store, q.conversationID, [...list, ...merged]);
    list.sort(bySendTime);
  }
  const seqs = list.map((m) => numberOrZero(m.seq)).filter((s) => s > 0);
  return { isEnd: page.isEnd, lastMinSeq: seqs.length ? Math.min(...seqs) : 0, errCode: 0, errMsg: '', messageList: list };
}

/** The conversation's messages the bridge can see, newest first, at most HISTORY_SCAN_LIMIT synced ones. */
export async function scanConversation(ctx: HistoryCtx, conversationID: string, until?: (seen: readonly Json[]) => boolean): Promise<Json[]> {
  const seen: Json[] = [];
  let start = '';
  while (seen.length < HISTORY_SCAN_LIMIT) {
    const page = await upstreamPage(ctx, { conversationID, startClientMsgID: start, count: HISTORY_SCAN_PAGE }, false);
    const ordered = [...page.messageList].sort(bySendTime).reverse();
    seen.push(...ordered);
    if (page.isEnd || ordered.length === 0 || until?.(seen)) break;
    start = String(ordered[ordered.length - 1]!.clientMsgID);
  }
  const store = storeOf(ctx);
  if (!store) return seen;
  const all = [...seen, ...(await store.insertedMessages(conversationID))];
  return (await localMessageView(store, conversationID, all)).sort(bySendTime).reverse();
}

/** Text a keyword is matched against, per content type (as the SDK core indexes it). */
export function searchableText(m: Json): string {
  const elem = (k: string): Json => (typeof m[k] === 'object' && m[k] !== null ? (m[k] as Json) : {});
  switch (numberOrZero(m.contentType)) {
    case 101:
      return String(elem('textElem').content ?? '');
    case 106:
      return String(elem('atTextElem').text ?? '');
    case 105:
      return String(elem('fileElem').fileName ?? '');
    case 109:
      return String(elem('locationElem').description ?? '');
    case 110: {
      const c = elem('customElem');
      return [c.data, c.description, c.extension].map((x) => String(x ?? '')).join(' ');
    }
    case 114:
      return String(elem('quoteElem').text ?? '');
    case 117:
      return String(elem('advancedTextElem').text ?? '');
    default:
      return '';
  }
}
