/**
 * Byte formats of the jssdk protocol. JSON is what open-im-sdk speaks (its `data` is a JSON
 * string inside the JSON frame). msgpack carries the same envelope with native arguments and
 * results in `data` — no double encoding — for native apps and bots.
 */
import { Packr } from 'msgpackr';
import { encodeData, type JssdkFrame } from './frames';
import { argsFromArray, parseRequest, readEnvelope, unreadable, type ParseResult } from './parseRequest';

export type CodecName = 'json' | 'msgpack';

/** An outgoing frame before encoding: `data` is the native value. */
export interface OutboundFrame {
  readonly event: string;
  readonly errCode: number;
  readonly errMsg: string;
  readonly data: unknown;
  readonly operationID: string;
}

export interface FrameCodec {
  readonly name: CodecName;
  decode(bytes: Buffer): ParseResult;
  /** Text for JSON (WebSocket text frames), bytes for msgpack. */
  encode(frame: OutboundFrame): string | Buffer;
}

/** The WebSocket subprotocol that selects msgpack. */
export const MSGPACK_SUBPROTOCOL = 'openim.msgpack.v1';

export const jsonCodec: FrameCodec = {
  name: 'json',
  decode: parseRequest,
  encode(f) {
    const frame: JssdkFrame = { event: f.event, errCode: f.errCode, errMsg: f.errMsg, data: encodeData(f.data), operationID: f.operationID };
    return JSON.stringify(frame);
  },
};

// Plain maps and arrays only: no msgpackr extensions (records, structures) on the wire, and
// maps decode to null-prototype-free plain objects without special keys honoured.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, int64AsType: 'number' });

/** Replaces undefined (which msgpack cannot carry inside maps consistently) by null. */
function toWire(value: unknown): unknown {
  return value === undefined ? null : value;
}

export const msgpackCodec: FrameCodec = {
  name: 'msgpack',
  decode(bytes) {
    let raw: unknown;
    try {
      raw = packr.unpack(bytes);
    } catch {
      return unreadable('frame is not valid msgpack');
    }
    return readEnvelope(raw, argsFromArray);
  },
  encode(f) {
    return packr.pack({ event: f.event, errCode: f.errCode, errMsg: f.errMsg, data: toWire(f.data), operationID: f.operationID });
  },
};

export const CODECS: ReadonlyMap<CodecName, FrameCodec> = new Map([
  ['json', jsonCodec],
  ['msgpack', msgpackCodec],
]);
