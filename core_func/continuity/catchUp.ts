/**
 * One conversation's catch-up: pull seqs `from`..`to` from msg_gateway (1002, pull by seq
 * range) in pages, oldest first, and pass each page through the ordering gate.
 */
import { PbCoder } from '@openim/protocol';
import type { UpstreamSession } from '../upstream/upstreamSession';
import type { CatchUpPace } from './catchUpPace';
import { fromMsgData, isDeleted, type SdkMessage } from './messageShape';
import type { OrderingGate } from './orderingGate';

/** msg_gateway's WSGetNewestSeq identifier: every conversation's max seq for the user. */
export const GET_NEWEST_SEQ = 1001;
/** msg_gateway's WSPullMsgBySeqList identifier (PullMsgByRange in the client SDK). */
export const PULL_MSG_BY_RANGE = 1002;
/** Seqs asked for in one pull. */
export const CATCHUP_PAGE = 100;
const PULL_ORDER_ASC = 0;

export interface ConversationGap {
  readonly conversationID: string;
  readonly from: number;
  readonly to: number;
}

interface PulledMsgs {
  msgs?: Record<string, { Msgs?: Array<Record<string, unknown>> }>;
}

/** sdkws.GetMaxSeqReq {userID = 1}: @openim/protocol ships no encoder for it. */
function getMaxSeqReq(userID: string): Uint8Array {
  const id = Buffer.from(userID, 'utf8');
  const len: number[] = [];
  for (let n = id.length; ; n >>>= 7) {
    if (n < 0x80) {
      len.push(n);
      break;
    }
    len.push((n & 0x7f) | 0x80);
  }
  return Uint8Array.from([0x0a, ...len, ...id]);
}

/**
 * Every conversation's max seq, asked of msg_gateway now (1001) rather than read from the
 * client SDK's sync, which a loaded server may have failed (OnSyncServerFailed) or not run.
 */
export async function serverMaxSeqs(upstream: UpstreamSession, operationID: string): Promise<Map<string, number>> {
  const resp = (await upstream.gatewayRequest(GET_NEWEST_SEQ, getMaxSeqReq(upstream.userID), operationID)) as { maxSeqs?: Record<string, unknown> } | undefined;
  return new Map(Object.entries(resp?.maxSeqs ?? {}).map(([c, v]) => [c, Number(v) || 0]));
}

/** Pulls the gap page by page; `hand` gets each page's new messages in seq order. */
export async function pullGap(
  upstream: UpstreamSession,
  gap: ConversationGap,
  gate: OrderingGate<SdkMessage>,
  pace: CatchUpPace,
  operationID: string,
  hand: (messages: SdkMessage[]) => void,
): Promise<void> {
  for (let begin = gap.from; begin <= gap.to; begin += CATCHUP_PAGE) {
    const end = Math.min(begin + CATCHUP_PAGE - 1, gap.to);
    await pace.take();
    const data = PbCoder.PullMessageBySeqsReq.encode({
      userID: upstream.userID,
      seqRanges: [{ conversationID: gap.conversationID, begin, end, num: end - begin + 1 }],
      order: PULL_ORDER_ASC,
    }).finish();
    const resp = (await upstream.gatewayRequest(PULL_MSG_BY_RANGE, Uint8Array.from(data), operationID)) as PulledMsgs | undefined;
    const raw = resp?.msgs?.[gap.conversationID]?.Msgs ?? [];
    const page = gate.page(gap.conversationID, raw.filter((m) => !isDeleted(m) && m.clientMsgID).map(fromMsgData));
    if (page.length) hand(page);
  }
}
