/** The client's side of the two codecs: requests out, responses and events in. */
import { Packr } from 'msgpackr';

export type ClientCodec = 'json' | 'msgpack';

export interface RequestOut {
  readonly reqFuncName: string;
  readonly operationID: string;
  readonly userID: string;
  readonly args: readonly unknown[];
}

export interface FrameIn {
  readonly event: string;
  readonly errCode: number;
  readonly errMsg: string;
  /** Native value: parsed from the JSON string for JSON, as sent for msgpack. */
  readonly data: unknown;
  readonly operationID: string;
}

const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false, int64AsType: 'number' });

export function encodeRequest(codec: ClientCodec, r: RequestOut): string | Buffer {
  if (codec === 'msgpack') return packr.pack({ reqFuncName: r.reqFuncName, operationID: r.operationID, userID: r.userID, data: r.args });
  return JSON.stringify({ reqFuncName: r.reqFuncName, operationID: r.operationID, userID: r.userID, data: JSON.stringify(r.args) });
}

function parseData(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return data === '' ? undefined : data;
  try {
    return JSON.parse(data);
  } catch {
    return data; // as the jssdk does: a non-JSON string is the value itself
  }
}

export function decodeFrame(codec: ClientCodec, bytes: Buffer | string): FrameIn | undefined {
  try {
    const raw = (codec === 'msgpack' ? packr.unpack(typeof bytes === 'string' ? Buffer.from(bytes) : bytes) : JSON.parse(bytes.toString())) as Record<string, unknown>;
    if (typeof raw !== 'object' || raw === null || typeof raw.event !== 'string') return undefined;
    return {
      event: raw.event,
      errCode: typeof raw.errCode === 'number' ? raw.errCode : 0,
      errMsg: typeof raw.errMsg === 'string' ? raw.errMsg : '',
      data: codec === 'msgpack' ? (raw.data ?? undefined) : parseData(raw.data),
      operationID: typeof raw.operationID === 'string' ? raw.operationID : '',
    };
  } catch {
    return undefined;
  }
}
