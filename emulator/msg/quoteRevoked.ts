/**
 * pkg/common/storage/controller/msg.go handlerQuote → handlerDBMsg, run on every pulled message
 * from the v3.8.3 tag (GetMessageBySeqs): a quote (114) whose quoted message has been revoked is
 * answered with the quoted message as a revoke (2101) carrying the revoke's content. The quote is
 * decoded into the function's own structs and written back with encoding/json, so fields those
 * structs lack are dropped. Not persisted; pushes are untouched.
 *
 * v3.8.0 ('none') runs the older handlerDBMsg only on messages read from Mongo once the Redis
 * message cache has expired (a day by default), which the emulator, with one tier, never reaches.
 */
import type { SdkWsProto } from '@openim/protocol';
import { goJson, goMap } from '../http/goJson';
import type { GoJsonRules } from '../http/goJson';
import { ContentType } from './constants';

type MsgData = SdkWsProto.MsgData;

/** protocol/constant Quote. */
const QUOTE = 114;

/**
 * 'v3.8.3' returns early for a quoted message with empty content; 'patch.16' does not (the check
 * was dropped by v3.8.3-patch.16); 'none': no rewrite (v3.8.0 as explained above).
 */
export type QuoteRules = 'none' | 'v3.8.3' | 'patch.16';

type Kind = 'string' | 'int' | 'bool' | 'object' | 'array';

/** handlerDBMsg's local MsgData struct, in field order, with the Go types json.Unmarshal checks. */
const QUOTED_FIELDS: ReadonlyArray<readonly [string, Kind]> = [
  ['sendID', 'string'],
  ['recvID', 'string'],
  ['groupID', 'string'],
  ['clientMsgID', 'string'],
  ['serverMsgID', 'string'],
  ['senderPlatformID', 'int'],
  ['senderNickname', 'string'],
  ['senderFaceURL', 'string'],
  ['sessionType', 'int'],
  ['msgFrom', 'int'],
  ['contentType', 'int'],
  ['content', 'string'],
  ['seq', 'int'],
  ['sendTime', 'int'],
  ['createTime', 'int'],
  ['status', 'int'],
  ['isRead', 'bool'],
  ['options', 'object'],
  ['offlinePushInfo', 'object'],
  ['atUserIDList', 'array'],
  ['attachedInfo', 'string'],
  ['ex', 'string'],
  ['keyVersion', 'int'],
  ['dstUserIDs', 'array'],
];

const PUSH_INFO_FIELDS: ReadonlyArray<readonly [string, Kind]> = [
  ['title', 'string'],
  ['desc', 'string'],
  ['ex', 'string'],
  ['iOSPushSound', 'string'],
  ['iOSBadgeCount', 'bool'],
  ['signalInfo', 'string'],
];

const ZERO: Readonly<Record<Kind, unknown>> = { string: '', int: 0, bool: false, object: null, array: null };

function fits(v: unknown, kind: Kind): boolean {
  if (v === null) return true;
  if (kind === 'string') return typeof v === 'string';
  if (kind === 'int') return typeof v === 'number' && Number.isInteger(v);
  if (kind === 'bool') return typeof v === 'boolean';
  if (kind === 'array') return Array.isArray(v);
  return typeof v === 'object' && !Array.isArray(v);
}

type Struct = Record<string, unknown>;

/** json.Unmarshal into a struct of these fields: undefined when a present field has the wrong type. */
function decodeStruct(raw: unknown, fields: ReadonlyArray<readonly [string, Kind]>): Struct | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const src = raw as Struct;
  const out: Struct = {};
  for (const [key, kind] of fields) {
    const v = src[key];
    if (v !== undefined && !fits(v, kind)) return undefined;
    out[key] = v === undefined || v === null ? ZERO[kind] : v;
  }
  return out;
}

interface QuoteContent {
  text: string;
  quoteMessage: Struct | null;
  messageEntityList: unknown;
}

function decodeQuote(content: Uint8Array): QuoteContent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(content));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const o = raw as Struct;
  if (o.text !== undefined && o.text !== null && typeof o.text !== 'string') return undefined;
  let quoteMessage: Struct | null = null;
  if (o.quoteMessage !== undefined && o.quoteMessage !== null) {
    const q = decodeStruct(o.quoteMessage, QUOTED_FIELDS);
    if (!q) return undefined;
    if (q.options !== null && Object.values(q.options as Struct).some((b) => typeof b !== 'boolean')) return undefined;
    if (q.offlinePushInfo !== null) {
      const p = decodeStruct(q.offlinePushInfo, PUSH_INFO_FIELDS);
      if (!p) return undefined;
      q.offlinePushInfo = p;
    }
    for (const list of ['atUserIDList', 'dstUserIDs']) {
      if (q[list] !== null && (q[list] as unknown[]).some((x) => typeof x !== 'string')) return undefined;
    }
    quoteMessage = q;
  }
  return { text: typeof o.text === 'string' ? o.text : '', quoteMessage, messageEntityList: o.messageEntityList };
}

/** json.Marshal of quoteMsg: text and messageEntityList omitempty, options omitempty inside. */
function encodeQuote(q: QuoteContent, rules: GoJsonRules): Uint8Array {
  const out: Struct = {};
  if (q.text !== '') out.text = q.text;
  if (q.quoteMessage) {
    const m: Struct = { ...q.quoteMessage };
    const options = m.options as Record<string, boolean> | null;
    if (options === null || Object.keys(options).length === 0) delete m.options;
    else m.options = goMap(options);
    out.quoteMessage = m;
  }
  let text = goJson(out, rules);
  // json.RawMessage is written as it came (compacted); left out when absent (empty)
  if (q.messageEntityList !== undefined) {
    const raw = JSON.stringify(q.messageEntityList).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    text = `${text.slice(0, -1)},"messageEntityList":${raw}}`;
  }
  return new TextEncoder().encode(text);
}

/**
 * The pulled message with its quote rewritten when the quoted message (read for this user,
 * `quoted(seq)`) is a revoke; `quoted` answers undefined where GetMsgBySeqIndexIn1Doc finds no
 * message (which leaves the quote alone).
 */
export function handlerQuote(msg: MsgData, quoted: (seq: number) => MsgData | undefined, rules: QuoteRules, json: GoJsonRules): MsgData {
  if (rules === 'none' || msg.contentType !== QUOTE || msg.content.length === 0) return msg;
  const quote = decodeQuote(msg.content);
  const qm = quote?.quoteMessage;
  if (!quote || !qm) return msg;
  if (rules === 'v3.8.3' && qm.content === '') return msg;
  let out = msg;
  if (qm.content === 'e30=') {
    qm.content = '{}';
    out = { ...msg, content: encodeQuote(quote, json) };
  }
  const seq = qm.seq as number;
  if (seq <= 0 && qm.contentType === ContentType.Revoke) return out;
  const target = seq > 0 ? quoted(seq) : undefined;
  if (seq > 0 && target?.contentType !== ContentType.Revoke) return out;
  qm.contentType = ContentType.Revoke;
  qm.content = target ? new TextDecoder().decode(target.content) : '{}';
  return { ...msg, content: encodeQuote(quote, json) };
}
