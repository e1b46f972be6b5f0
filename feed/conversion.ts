/**
 * Event conversion, the last stage before the queue: one upstream event (already past the
 * SDK-core rules and continuity) becomes the jssdk frames it is relayed as (core_func/events.ts).
 * The client SDK's own unread total is not relayed: the feed's tracker replaces it.
 */
import { RELAYS_BY_UPSTREAM } from '../core_func/events';
import { UnreadTotalTracker } from '../core_func/coreRules/unreadTotal';
import type { SdkEvent } from '../core_func/upstream/clientSdk';
import type { FeedFrame } from './frame';

export function framesOf(e: SdkEvent, seqs: FeedFrame['seqs'], out: (f: FeedFrame) => void): void {
  if (UnreadTotalTracker.replaces(e.event)) return;
  for (const relay of RELAYS_BY_UPSTREAM.get(e.event) ?? []) {
    out({ event: relay.event, data: relay.convert(e.data), operationID: e.operationID, errCode: e.errCode, errMsg: e.errMsg, seqs });
  }
}
