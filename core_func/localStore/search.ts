/** SearchLocalMessages and FindMessageList over the history the bridge can see. */
import { scanConversation, searchableText, type HistoryCtx } from './history';
import { numberOrZero } from './localView';

type Json = Record<string, unknown>;

/** The SDK core searches these content types when the caller names none: text, @text, file. */
export const DEFAULT_SEARCH_TYPES: readonly number[] = [101, 106, 105];

export interface SearchParams {
  conversationID: string;
  keywordList: string[];
  /** 0: any keyword matches; 1: every keyword must match. */
  keywordListMatchType: number;
  senderUserIDList: string[];
  messageTypeList: number[];
  /** Seconds; 0 means now. */
  searchTimePosition: number;
  /** Seconds before searchTimePosition; 0 means no limit. */
  searchTimePeriod: number;
  pageIndex: number;
  count: number;
}

export interface ResultItem {
  conversationID: string;
  messageCount: number;
  conversationType: number;
  showName: string;
  faceURL: string;
  messageList: Json[];
}

function matcher(p: SearchParams): (m: Json) => boolean {
  const types = new Set(p.messageTypeList.length ? p.messageTypeList : DEFAULT_SEARCH_TYPES);
  const senders = new Set(p.senderUserIDList);
  const keywords = p.keywordList.filter((k) => k !== '').map((k) => k.toLowerCase());
  const endMs = p.searchTimePosition > 0 ? p.searchTimePosition * 1000 : Infinity;
  const startMs = p.searchTimePeriod > 0 ? (p.searchTimePosition > 0 ? p.searchTimePosition * 1000 : Date.now()) - p.searchTimePeriod * 1000 : -Infinity;
  return (m) => {
    if (!types.has(numberOrZero(m.contentType))) return false;
    if (senders.size && !senders.has(String(m.sendID))) return false;
    const t = numberOrZero(m.sendTime);
    if (t > endMs || t < startMs) return false;
    if (!keywords.length) return true;
    const text = searchableText(m).toLowerCase();
    return p.keywordListMatchType === 1 ? keywords.every((k) => text.includes(k)) : keywords.some((k) => text.includes(k));
  };
}

function sessionTypeOf(conversationID: string): number {
  if (conversationID.startsWith('si_')) return 1;
  if (conversationID.startsWith('sg_')) return 3;
  if (conversationID.startsWith('sn_')) return 4;
  return 2;
}

function itemFor(conversation: Json | undefined, conversationID: string, messages: Json[], messageCount = messages.length): ResultItem {
  return {
    conversationID,
    messageCount,
    conversationType: numberOrZero(conversation?.conversationType) || sessionTypeOf(conversationID),
    showName: String(conversation?.showName ?? ''),
    faceURL: String(conversation?.faceURL ?? ''),
    messageList: messages,
  };
}

export async function searchMessages(ctx: HistoryCtx, p: SearchParams, conversations: readonly Json[]): Promise<{ totalCount: number; searchResultItems: ResultItem[] }> {
  const match = matcher(p);
  const byID = new Map(conversations.map((c) => [String(c.conversationID), c]));
  if (p.conversationID) {
    const found = (await scanConversation(ctx, p.conversationID)).filter(match);
    const page = p.count > 0 ? found.slice((Math.max(1, p.pageIndex) - 1) * p.count, Math.max(1, p.pageIndex) * p.count) : found;
    return { totalCount: found.length, searchResultItems: found.length ? [itemFor(byID.get(p.conversationID), p.conversationID, page, found.length)] : [] };
  }
  const items: ResultItem[] = [];
  let total = 0;
  for (const c of conversations) {
    const id = String(c.conversationID);
    const found = (await scanConversation(ctx, id)).filter(match);
    if (!found.length) continue;
    total += found.length;
    items.push(itemFor(c, id, found));
  }
  return { totalCount: total, searchResultItems: items };
}

export async function findMessages(ctx: HistoryCtx, wanted: ReadonlyArray<{ conversationID: string; clientMsgIDList: string[] }>, conversations: readonly Json[]): Promise<{ totalCount: number; findResultItems: ResultItem[] }> {
  const byID = new Map(conversations.map((c) => [String(c.conversationID), c]));
  const items: ResultItem[] = [];
  let total = 0;
  for (const w of wanted) {
    const ids = new Set(w.clientMsgIDList);
    const hits = (seen: readonly Json[]) => seen.filter((m) => ids.has(String(m.clientMsgID)));
    const found = hits(await scanConversation(ctx, w.conversationID, (seen) => hits(seen).length >= ids.size));
    if (!found.length) continue;
    total += found.length;
    items.push(itemFor(byID.get(w.conversationID), w.conversationID, found));
  }
  return { totalCount: total, findResultItems: items };
}
