/** What each GeneralWsReq identifier does (msggateway Client.handleMessage + GrpcHandler). */
import { PbCoder } from '@openim/protocol';
import { ApiError } from '../api/contract';
import { apiError, argsError, ErrCode, noPermission } from '../errors';
import type { SendService } from '../msg/sendService';
import type { SyncService } from '../msg/syncService';
import type { GatewayConnection } from './connection';
import { WsIdentifier } from './frames';
import type { WsRequest } from './frames';
import type { OnlineStatusService } from './onlineStatus';
import { decodeGetMaxSeqReq, decodeSetAppBackgroundStatusReq } from './smallProto';

export interface HandlerDeps {
  send: SendService;
  sync: SyncService;
  online: OnlineStatusService;
  /** Release switch (profile.ts msgDataCheck). */
  msgDataCheck: 'v3.8.0' | 'v3.8.3';
}

/** protocol constant OANotification, and NotificationChatType. */
const OA_NOTIFICATION = 1400;
const NOTIFICATION_CHAT_TYPE = 4;

/** sdkws.go MsgData.Check: a failed check is an ArgsError (1001). */
function checkMsgData(msg: { sendID: string; content: Uint8Array; sessionType: number; contentType: number }, rules: HandlerDeps['msgDataCheck']): void {
  if (msg.sendID === '') throw argsError('sendID is empty');
  // proto3 leaves an empty bytes field out, so Go decodes it as nil
  if (msg.content.length === 0) throw argsError('content is empty');
  if (rules === 'v3.8.0') return;
  if ((msg.sessionType === NOTIFICATION_CHAT_TYPE) !== (msg.contentType === OA_NOTIFICATION)) {
    throw argsError('notification msg must have correct session type and content type');
  }
}

export type HandlerOutcome = { data: Uint8Array | null; closeAfter?: boolean };

/** Undefined: the identifier is unknown and the real gateway closes the connection. */
export type RequestHandler = (conn: GatewayConnection, req: WsRequest) => HandlerOutcome;

/** A protobuf that does not decode is a plain Go error, which ParseError turns into 500. */
function decode<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw apiError(ErrCode.ServerInternal, `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function checkSelf(conn: GatewayConnection, userID: string): void {
  if (userID !== conn.userID) throw noPermission(`userID ${userID} is not the connection's user`);
}

export function requestHandlers(deps: HandlerDeps): Map<number, RequestHandler> {
  const h = new Map<number, RequestHandler>();

  h.set(WsIdentifier.GetNewestSeq, (conn, req) => {
    const r = decode('GetMaxSeqReq', () => decodeGetMaxSeqReq(req.data));
    if (r.userID === '') throw argsError('userID is empty');
    checkSelf(conn, r.userID);
    return { data: PbCoder.GetMaxSeqResp.encode(deps.sync.maxSeqs(r.userID)).finish() };
  });

  h.set(WsIdentifier.SendMsg, (conn, req) => {
    const msg = decode('MsgData', () => PbCoder.MsgData.decode(req.data));
    checkMsgData(msg, deps.msgDataCheck);
    checkSelf(conn, msg.sendID);
    const stored = deps.send.send(msg);
    // GrpcHandler.SendMessage marshals the nil SendMsgResp of a dropped message: empty data.
    if (!stored) return { data: null };
    return {
      data: PbCoder.UserSendMsgResp.encode({ serverMsgID: stored.serverMsgID, clientMsgID: stored.clientMsgID, sendTime: stored.sendTime }).finish(),
    };
  });

  h.set(WsIdentifier.SendSignalMsg, () => {
    throw argsError('msgData is nil');
  });

  h.set(WsIdentifier.PullMsgByRange, (conn, req) => {
    const r = decode('PullMessageBySeqsReq', () => PbCoder.PullMessageBySeqsReq.decode(req.data));
    // msg rpc PullMessageBySeqs does not check the userID against the connection's user.
    return { data: PbCoder.PullMessageBySeqsResp.encode(deps.sync.pullByRanges(r.userID, r.seqRanges, r.order)).finish() };
  });

  h.set(WsIdentifier.PullMsgBySeqList, (conn, req) => {
    const r = decode('GetSeqMessageReq', () => PbCoder.GetSeqMessageReq.decode(req.data));
    // msg rpc GetSeqMessage does not check the userID against the connection's user.
    return { data: PbCoder.GetSeqMessageResp.encode(deps.sync.pullBySeqs(r.userID, r.conversations)).finish() };
  });

  h.set(WsIdentifier.GetConvMaxReadSeq, (conn, req) => {
    const r = decode('GetConversationsHasReadAndMaxSeqReq', () => PbCoder.GetConversationsHasReadAndMaxSeqReq.decode(req.data));
    // msg rpc GetConversationsHasReadAndMaxSeq does not check the userID either.
    return { data: PbCoder.GetConversationsHasReadAndMaxSeqResp.encode({ seqs: deps.sync.hasReadAndMaxSeqs(r.userID, r.conversationIDs) }).finish() };
  });

  h.set(WsIdentifier.PullConvLastMessage, () => {
    throw apiError(ErrCode.ServerInternal, 'GetLastMessage is not emulated');
  });

  // UserLogout answers proto.Marshal of an empty DelUserPushTokenResp: a non-nil empty slice,
  // which the reply's JSON writes as "" (a nil one would be null); then the connection closes.
  h.set(WsIdentifier.LogoutMsg, () => ({ data: new Uint8Array(), closeAfter: true }));

  h.set(WsIdentifier.SetBackgroundStatus, (conn, req) => {
    const r = decode('SetAppBackgroundStatusReq', () => decodeSetAppBackgroundStatusReq(req.data));
    conn.isBackground = r.isBackground;
    return { data: null };
  });

  h.set(WsIdentifier.WsSubUserOnlineStatus, (conn, req) => {
    const r = decode('SubUserOnlineStatus', () => PbCoder.SubUserOnlineStatus.decode(req.data));
    deps.online.subscribe(conn, r.subscribeUserID, r.unsubscribeUserID);
    return { data: deps.online.tipsFor(r.subscribeUserID) };
  });

  return h;
}

/** Runs a handler and turns errors into the reply fields ParseError would produce. */
export function runHandler(handler: RequestHandler, conn: GatewayConnection, req: WsRequest): HandlerOutcome & { errCode: number; errMsg: string } {
  try {
    return { ...handler(conn, req), errCode: 0, errMsg: '' };
  } catch (e) {
    const err = e instanceof ApiError ? e : apiError(ErrCode.ServerInternal, String(e));
    return { data: null, errCode: err.errCode, errMsg: err.errMsg };
  }
}
