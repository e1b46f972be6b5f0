/**
 * Event conversion, the last stage before the queue: one upstream event (already past the
 * SDK-core rules and continuity) becomes the jssdk frames it is relayed as (core_func/events.ts).
 * A message many instances receive is converted once (fanOutCache.ts) when a cache is given.
 * The client SDK's own unread total is not relayed: the feed's tracker replaces it.
 */
import { RELAYS_BY_UPSTREAM } from '../core_func/events';
import { UnreadTotalTracker } from '../core_func/coreRules/unreadTotal';
import type { SdkEvent } from '../core_func/upstream/clientSdk';
import type { FanOutCache } from './fanOutCache';
import type { FeedFrame } from './frame';

export function framesOf(e: SdkEvent, seqs: FeedFrame['seqs'], out: (f: FeedFrame) => void, shared?: FanOutCache): void {
  if (UnreadTotalTracker.replaces(e.event)) return;
  for (const relay of RELAYS_BY_UPSTREAM.get(e.event) ?? []) {
    const { data, encodings } = shared ? shared.convert(relay, e.event, e.data) : { data: relay.convert(e.data), encodings: undefined };
    out({ event: relay.event, data, operationID: e.operationID, errCode: e.errCode, errMsg: e.errMsg, seqs, encodings });
  }
}
