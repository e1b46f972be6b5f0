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
