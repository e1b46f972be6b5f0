/** ConversationItem as the jssdk declares it. */
import { withDefaults, mapList } from './defaults';

const CONVERSATION_DEFAULTS = {
  userID: '',
  groupID: '',
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

/** OpenIM's conversation ID rule (the SDK core's GetConversationIDBySessionType); '' for an unknown session type. */
export function conversationIDOf(selfUserID: string, sourceID: string, sessionType: number): string {
  switch (sessionType) {
    case 1:
      return `si_${[selfUserID, sourceID].sort().join('_')}`;
    case 2:
      return `g_${sourceID}`;
    case 3:
      return `sg_${sourceID}`;
    case 4:
      return `sn_${sourceID}_${selfUserID}`;
    default:
      return '';
  }
}
