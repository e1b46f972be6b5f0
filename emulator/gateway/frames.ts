/** GeneralWsReq / GeneralWsResp JSON frames (internal/msggateway/message_handler.go Req/Resp). */
export interface WsRequest {
  reqIdentifier: number;
  token: string;
  sendID: string;
  operationID: string;
  msgIncr: string;
  data: Uint8Array;
}

export interface WsResponse {
  reqIdentifier: number;
  msgIncr: string;
  operationID: string;
  errCode: number;
  errMsg: string;
  data: Uint8Array | null;
}

export const WsIdentifier = {
  GetNewestSeq: 1001,
  PullMsgByRange: 1002,
  SendMsg: 1003,
  SendSignalMsg: 1004,
  PullMsgBySeqList: 1005,
  GetConvMaxReadSeq: 1006,
  PullConvLastMessage: 1007,
  PushMsg: 2001,
  KickOnlineMsg: 2002,
  LogoutMsg: 2003,
  SetBackgroundStatus: 2004,
  WsSubUserOnlineStatus: 2005,
} as const;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes a request the way encoding/json + the validator do; undefined means the real
 * gateway would drop the connection (bad JSON, bad base64, a required field missing).
 */
export function decodeRequest(bytes: Buffer): WsRequest | undefined {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const str = (k: string): string | undefined => (o[k] === undefined || o[k] === null ? '' : typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const reqIdentifier = o.reqIdentifier;
  const token = str('token');
  const sendID = str('sendID');
  const operationID = str('operationID');
  const msgIncr = str('msgIncr');
  const data = str('data');
  if (typeof reqIdentifier !== 'number' || !Number.isInteger(reqIdentifier) || reqIdentifier === 0) return undefined;
  if (token === undefined || sendID === undefined || operationID === undefined || msgIncr === undefined || data === undefined) return undefined;
  if (sendID === '' || operationID === '' || msgIncr === '') return undefined;
  if (data.length % 4 !== 0 || !BASE64.test(data)) return undefined;
  return { reqIdentifier, token, sendID, operationID, msgIncr, data: new Uint8Array(Buffer.from(data, 'base64')) };
}

export function encodeResponse(resp: WsResponse): Buffer {
  return Buffer.from(
    JSON.stringify({
      reqIdentifier: resp.reqIdentifier,
      msgIncr: resp.msgIncr,
      operationID: resp.operationID,
      errCode: resp.errCode,
      errMsg: resp.errMsg,
      data: resp.data === null ? null : Buffer.from(resp.data).toString('base64'),
    }),
  );
}
