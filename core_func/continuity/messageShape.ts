/**
 * Messages as the continuity code sees them: the client SDK's message object (what its
 * OnRecvNewMessages carries), its conversation, and how a pulled sdkws.MsgData becomes one —
 * the same fields the client SDK fills for the messages it pulls itself.
 */
import type { Sequenced } from './orderingGate';

export type SdkMessage = Record<string, unknown>;

/** open-im-sdk's MessageStatus.Succeed; OpenIM's MsgStatusHasDeleted. */
const STATUS_SUCCEEDED = 2;
const STATUS_DELETED = 4;
const SESSION_SINGLE = 1;
const SESSION_GROUP = 3;
const SESSION_NOTIFICATION = 4;

/** contentType → the elem key its JSON content goes to; any other type is a notification. */
const ELEM_BY_CONTENT_TYPE: Record<number, string> = {
  101: 'textElem',
  102: 'pictureElem',
  103: 'soundElem',
  104: 'videoElem',
  105: 'fileElem',
  106: 'atTextElem',
  107: 'mergeElem',
  108: 'cardElem',
  109: 'locationElem',
  110: 'customElem',
  113: 'typingElem',
  114: 'quoteElem',
  115: 'faceElem',
  119: 'customElem',
  120: 'customElem',
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0) || 0);

/** The two user IDs in ascending order (what `[a, b].sort().join('_')` gives, without the array and sort). */
const pair = (a: string, b: string): string => (a <= b ? `${a}_${b}` : `${b}_${a}`);

/** The conversation a message belongs to, as OpenIM names it ('' when it names none). */
export function conversationOf(m: SdkMessage): string {
  const sessionType = num(m.sessionType);
  if (sessionType === SESSION_SINGLE) return `si_${pair(str(m.sendID), str(m.recvID))}`;
  if (sessionType === SESSION_GROUP) return `sg_${str(m.groupID)}`;
  if (sessionType === SESSION_NOTIFICATION) return `sn_${pair(str(m.sendID), str(m.recvID))}`;
  return '';
}

export function sequenced(m: SdkMessage): Sequenced {
  return { conversationID: conversationOf(m), seq: num(m.seq) };
}

/** Conversations whose seqs the cursor follows: chats, not the notification conversations. */
export function isChatConversation(conversationID: string): boolean {
  return conversationID.startsWith('si_') || conversationID.startsWith('sg_');
}

/** A message the client SDK would not show: deleted on the server. */
export function isDeleted(raw: Record<string, unknown>): boolean {
  return num(raw.status) === STATUS_DELETED;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A pulled sdkws.MsgData as the client SDK's message object. */
export function fromMsgData(raw: Record<string, unknown>): SdkMessage {
  const content = raw.content instanceof Uint8Array ? Buffer.from(raw.content).toString('utf8') : str(raw.content);
  const contentType = num(raw.contentType);
  const attachedInfo = str(raw.attachedInfo);
  const m: SdkMessage = {
    clientMsgID: str(raw.clientMsgID),
    serverMsgID: str(raw.serverMsgID),
    createTime: num(raw.createTime),
    sendTime: num(raw.sendTime),
    sessionType: num(raw.sessionType),
    sendID: str(raw.sendID),
    recvID: str(raw.recvID),
    msgFrom: num(raw.msgFrom),
    contentType,
    senderPlatformID: num(raw.senderPlatformID),
    senderNickname: str(raw.senderNickname),
    senderFaceUrl: str(raw.senderFaceURL),
    groupID: str(raw.groupID),
    content: '',
    seq: num(raw.seq),
    isRead: raw.isRead === true,
    status: STATUS_SUCCEEDED,
    isExternalExtensions: false,
    offlinePush: raw.offlinePushInfo,
    attachedInfo: '',
    ex: str(raw.ex),
    localEx: '',
    attachedInfoElem: attachedInfo
      ? parseJson(attachedInfo)
      : { groupHasReadInfo: { hasReadCount: 0, unreadCount: 0 }, isPrivateChat: false, burnDuration: 0, hasReadTime: 0, messageEntityList: [], isEncryption: false, inEncryptStatus: false },
  };
  m[ELEM_BY_CONTENT_TYPE[contentType] ?? 'notificationElem'] = parseJson(content);
  return m;
}
