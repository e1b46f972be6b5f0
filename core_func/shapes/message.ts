/** MessageItem as the jssdk declares it: every elem key present (null when unused). */
import { withDefaults, mapList } from './defaults';

const MESSAGE_DEFAULTS = {
  isReact: false,
  isExternalExtensions: false,
  attachedInfo: '',
  ex: '',
  localEx: '',
  textElem: null,
  cardElem: null,
  pictureElem: null,
  soundElem: null,
  videoElem: null,
  fileElem: null,
  mergeElem: null,
  atTextElem: null,
  faceElem: null,
  locationElem: null,
  customElem: null,
  quoteElem: null,
  notificationElem: null,
  advancedTextElem: null,
  typingElem: null,
  attachedInfoElem: null,
};

export function toJssdkMessage(m: unknown): unknown {
  return withDefaults(m, MESSAGE_DEFAULTS);
}

export function toJssdkMessages(list: unknown): unknown {
  return mapList(list, toJssdkMessage);
}

/** The elem keys the bridge adds as null for the jssdk; the client SDK expects them absent. */
export function withoutNullElems(message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(message)) if (!(v === null && k.endsWith('Elem'))) out[k] = v;
  return out;
}

const REVOKED_INFO_DEFAULTS = {
  revokerID: '',
  revokerRole: 0,
  clientMsgID: '',
  revokerNickname: '',
  revokeTime: 0,
  sourceMessageSendTime: 0,
  sourceMessageSendID: '',
  sourceMessageSenderNickname: '',
  sessionType: 0,
  seq: 0,
  ex: '',
};

export function toJssdkRevokedInfo(r: unknown): unknown {
  return withDefaults(r, REVOKED_INFO_DEFAULTS);
}

const RECEIPT_DEFAULTS = { userID: '', groupID: '', msgIDList: [] as string[], readTime: 0, msgFrom: 0, contentType: 0, sessionType: 0 };

export function toJssdkReceipts(list: unknown): unknown {
  return mapList(list, (r) => withDefaults(r, RECEIPT_DEFAULTS));
}
