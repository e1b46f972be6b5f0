/**
 * A single-chat message the server dropped because its receiver does not receive messages
 * (global or conversation receive option 1): the answer openim-sdk-core gives for it.
 *
 * The msg rpc (internal/rpc/msg/send.go sendMsgSingleChat → verify.go
 * modifyMessageByUserMessageReceiveOpt) answers nil, so the gateway's SendMsg reply carries
 * errCode 0 and empty data. openim-sdk-core (v3.5.1 internal/conversation_msg/sdk.go and v3.8
 * internal/conversation_msg/api.go sendMessageToServer), which oimws runs for the jssdk,
 * unmarshals that into an empty UserSendMsgResp and reports the message as sent: status
 * SendSuccess, serverMsgID "" and sendTime 0. The client SDK 0.0.14 instead throws a
 * TypeError reading `serverMsgID` of the missing reply; the bridge answers as a real
 * deployment does.
 */
import { BridgeError } from '../../common/errors';

type Json = Record<string, unknown>;

/** constant.MsgStatusSendSuccess */
const MSG_STATUS_SEND_SUCCESS = 2;
const SESSION_SINGLE = 1;
const SESSION_GROUP = 3;

/** The client SDK 0.0.14's failure for a SendMsg reply without data (its reply decoder yields null). */
const EMPTY_REPLY_FAILURE = /reading 'serverMsgID'/;

/** True when `err` is the client SDK's failure on the empty reply of a dropped message. */
export function isDroppedMessageFailure(err: unknown): boolean {
  return err instanceof BridgeError && EMPTY_REPLY_FAILURE.test(err.message);
}

/** The message as openim-sdk-core reports it after the server dropped it. */
export function droppedMessage(message: Json, recvID: string, groupID: string): Json {
  return {
    ...message,
    recvID,
    groupID,
    sessionType: groupID ? SESSION_GROUP : SESSION_SINGLE,
    status: MSG_STATUS_SEND_SUCCESS,
    serverMsgID: '',
    sendTime: 0,
  };
}
