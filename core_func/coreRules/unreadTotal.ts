/**
 * The total unread count, computed the way the OpenIM SDK core does (the sum of unreadCount
 * over conversations whose recvMsgOpt is below "receive, don't notify" and that have a
 * message). The client SDK's own running total misses the first message of a new
 * conversation, so the bridge recomputes it from the conversation list instead.
 */
import type { UpstreamSession } from '../upstream/upstreamSession';

/** OpenIM's ReceiveNotNotifyMessage: conversations at or above it do not count. */
export const RECV_NOT_NOTIFY = 2;
const PAGE = 1000;

/** Events after which the total may have changed. */
const CONVERSATION_EVENTS = new Set(['OnConversationChanged', 'OnNewConversation', 'OnSyncServerFinish', 'OnTotalUnreadMessageCountChanged']);

interface ConversationCounts {
  unreadCount?: unknown;
  recvMsgOpt?: unknown;
  latestMsgSendTime?: unknown;
}

export function countUnread(conversations: readonly ConversationCounts[]): number {
  let total = 0;
  for (const c of conversations) {
    const recvMsgOpt = typeof c.recvMsgOpt === 'number' ? c.recvMsgOpt : 0;
    const latest = typeof c.latestMsgSendTime === 'number' ? c.latestMsgSendTime : 0;
    if (recvMsgOpt < RECV_NOT_NOTIFY && latest > 0 && typeof c.unreadCount === 'number') total += c.unreadCount;
  }
  return total;
}

export async function totalUnread(upstream: UpstreamSession, operationID: string): Promise<number> {
  const all: ConversationCounts[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await upstream.call<ConversationCounts[]>('getConversationListSplit', { offset, count: PAGE }, operationID);
    all.push(...page);
    if (page.length < PAGE) break;
  }
  return countUnread(all);
}

/**
 * Emits OnTotalUnreadMessageCountChanged whenever the recomputed total differs from the last
 * one sent. Recomputations are coalesced: one runs at a time, and the events that arrive
 * meanwhile only mark the total dirty, so a burst of conversation events costs two walks of
 * the list, not one each, and the emitted values stay in order.
 */
export class UnreadTotalTracker {
  private last: number | undefined;
  private running = false;
  /** An event came while a recomputation ran: one more is due, for this operationID. */
  private dirty?: string;
  private stopped = false;

  constructor(
    private readonly upstream: () => UpstreamSession | undefined,
    private readonly emit: (total: number, operationID: string) => void,
    /** Counts the walks of the conversation list (tests). */
    private readonly onWalk?: () => void,
  ) {}

  /** Whether the client SDK's own event of this name is replaced by the tracker's. */
  static replaces(event: string): boolean {
    return event === 'OnTotalUnreadMessageCountChanged';
  }

  observe(event: string, operationID: string): void {
    if (!CONVERSATION_EVENTS.has(event) || this.stopped) return;
    this.dirty = operationID;
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.dirty !== undefined && !this.stopped) {
        const operationID = this.dirty;
        this.dirty = undefined;
        await this.recompute(operationID);
      }
    } finally {
      this.running = false;
    }
  }

  private async recompute(operationID: string): Promise<void> {
    const upstream = this.upstream();
    if (!upstream) return;
    this.onWalk?.();
    let total: number;
    try {
      total = await totalUnread(upstream, operationID);
    } catch {
      return; // the session is going away; nothing to report
    }
    if (total !== this.last && !this.stopped) {
      const first = this.last === undefined;
      this.last = total;
      // After login the first computation only sets the baseline, unless something is unread.
      if (!first || total > 0) this.emit(total, operationID);
    }
  }

  stop(): void {
    this.stopped = true;
  }
}
