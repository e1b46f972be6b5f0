/** The admin API's SendMsgReq (apistruct) turned into MsgData, with the content checks the api layer does. */
import type { SdkWsProto } from '@openim/protocol';
import type { UserDirectory } from '../api/contract';
import { argsError, recordNotFound } from '../errors';
import { optBool, optNumber, optObject, optString, reqNumber, reqString } from '../http/validate';
import type { Fields } from '../http/validate';
import { ContentType, MsgFrom, SessionType } from './constants';

type MsgData = SdkWsProto.MsgData;

/** Content types getSendMsgReq accepts (Text, Picture, Voice, Video, File, AtText, Custom, Quote, MarkdownText, OANotification). */
const SUPPORTED_CONTENT_TYPES: ReadonlySet<number> = new Set([101, 102, 103, 104, 105, 106, 110, 114, 118, 1400]);
const OA_NOTIFICATION = 1400;
/** protocol/constant AppNotificationAdmin: only notification accounts send OA notifications. */
const APP_NOTIFICATION_ADMIN_LEVEL = 3;
/** MessageApi.SetOptions(options, false) for isOnlineOnly. */
const ONLINE_ONLY_OFF = ['history', 'persistent', 'senderSync', 'conversationUpdate', 'senderConversationUpdate', 'unreadCount', 'offlinePush'];

export function adminMsgData(body: Fields, recvID: string, users: UserDirectory): MsgData {
  const sendID = reqString(body, 'sendID');
  const contentType = reqNumber(body, 'contentType');
  let sessionType = reqNumber(body, 'sessionType');
  const content = optObject(body, 'content');
  if (!content) throw argsError('content is required');
  if (!SUPPORTED_CONTENT_TYPES.has(contentType)) throw argsError(`unsupported content type ${contentType}`);
  if (contentType === ContentType.Text && (typeof content.content !== 'string' || content.content === '')) {
    throw argsError("validation error: Key: 'TextElem.Content' Error:Field validation for 'Content' failed on the 'required' tag");
  }
  let encoded = JSON.stringify(content);
  if (contentType === OA_NOTIFICATION) {
    sessionType = SessionType.Notification;
    if ((users.get(sendID)?.appMangerLevel ?? 0) < APP_NOTIFICATION_ADMIN_LEVEL) throw recordNotFound('notification account not found');
    encoded = JSON.stringify({ detail: encoded });
  }
  const groupID = optString(body, 'groupID');
  const options: Record<string, boolean> = {};
  if (optBool(body, 'isOnlineOnly') === true) for (const k of ONLINE_ONLY_OFF) options[k] = false;
  if (optBool(body, 'notOfflinePush') === true) options.offlinePush = false;
  return {
    sendID,
    recvID,
    groupID,
    clientMsgID: '',
    serverMsgID: '',
    senderPlatformID: optNumber(body, 'senderPlatformID'),
    senderNickname: optString(body, 'senderNickname'),
    senderFaceURL: optString(body, 'senderFaceURL'),
    sessionType,
    msgFrom: MsgFrom.System,
    contentType,
    content: new TextEncoder().encode(encoded),
    seq: 0,
    sendTime: optNumber(body, 'sendTime'),
    createTime: Date.now(),
    status: 0,
    isRead: false,
    options,
    offlinePushInfo: undefined,
    atUserIDList: [],
    attachedInfo: '',
    ex: optString(body, 'ex'),
    keyVersion: 0,
    dstUserIDs: [],
  };
}
