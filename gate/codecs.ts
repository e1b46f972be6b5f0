/**
 * Byte formats of the jssdk protocol. JSON is what open-im-sdk speaks (its `data` is a JSON
 * string inside the JSON frame). msgpack carries the same envelope with native arguments and
 * results in `data` — no double encoding — for native apps and bots.
 */
import { Packr } from 'msgpackr';
import { encodeData, type JssdkFrame } from './frames';
import { argsFromArray, parseRequest, readEnvelope, unreadable, type ParseResult } from './parseRequest';

export type CodecName = 'json' | 'msgpack';

/**
 * Encodings of a frozen `data` that frames to several clients share, one slot per codec: the
 * first frame to be encoded fills its codec's slot, the others reuse it.
 */
export interface SharedEncodings {
  json?: string;
}

/** An outgoing frame before encoding: `data` is the native value. */
export interface OutboundFrame {
  readonly event: string;
  readonly errCode: number;
  readonly errMsg: string;
  readonly data: unknown;
  readonly operationID: string;
  /** Present when `data` is frozen and shared (the same message to many clients). */
  readonly shared?: SharedEncodings;
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
    if (f.shared) {
      // The same text JSON.stringify writes for the frame below, `data` (a JSON string, quoted) written once.
      const data = (f.shared.json ??= JSON.stringify(encodeData(f.data)));
      return `{"event":${JSON.stringify(f.event)},"errCode":${JSON.stringify(f.errCode)},"errMsg":${JSON.stringify(f.errMsg)},"data":${data},"operationID":${JSON.stringify(f.operationID)}}`;
    }
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
