/** ConversationItem as the jssdk declares it. */
import { withDefaults, mapList } from './defaults';

const CONVERSATION_DEFAULTS = {
  showName: '',
  faceURL: '',
  recvMsgOpt: 0,
  unreadCount: 0,
  groupAtType: 0,
  latestMsg: '',
  latestMsgSendTime: 0,
  draftText: '',
  draftTextTime: 0,
  burnDuration: 0,
  msgDestructTime: 0,
  isPinned: false,
  isNotInGroup: false,
  isPrivateChat: false,
  isMsgDestruct: false,
  attachedInfo: '',
  ex: '',
};

export function toJssdkConversation(c: unknown): unknown {
  return withDefaults(c, CONVERSATION_DEFAULTS);
}

export function toJssdkConversations(list: unknown): unknown {
  return mapList(list, toJssdkConversation);
}
