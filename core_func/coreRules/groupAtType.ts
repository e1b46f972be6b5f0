/**
 * Rule: an @-mention marks the mentioned member's group conversation (groupAtType: AtMe, AtAll,
 * AtAllAtMe) when the message arrives. In the OpenIM system the SDK core was written for, the
 * server sets it (open-im-server v3.8.3 msg/send.go setConversationAtInfo) and the SDK core
 * picks it up by syncing the conversation; openim-sdk-core v3.5.1 carries the same mapping,
 * unused, as genConversationGroupAtType. The bridge sets it on arrival in the client SDK's cached
 * conversation, so an app sees the marker whether or not its server announces the change.
 * ResetConversationGroupAtType clears it (core_func/adapters/conversation.ts).
 */
import type { SdkEvent } from '../upstream/clientSdk';

export const AT_ALL_TAG = 'AtAllTag';
export const GroupAtType = { AtNormal: 0, AtMe: 1, AtAll: 2, AtAllAtMe: 3, GroupNotification: 4 } as const;
const AT_TEXT = 106;
const GROUP_CHAT = 3;

interface Mention {
  sendID?: unknown;
  groupID?: unknown;
  sessionType?: unknown;
  contentType?: unknown;
  atTextElem?: { atUserList?: unknown } | null;
}

/** The groupAtType a message gives `userID`'s conversation, or undefined when it mentions nobody there. */
export function groupAtTypeOf(m: Mention, userID: string): number | undefined {
  if (m.contentType !== AT_TEXT || m.sessionType !== GROUP_CHAT || m.sendID === userID) return undefined;
  const list = Array.isArray(m.atTextElem?.atUserList) ? (m.atTextElem!.atUserList as unknown[]) : [];
  const all = list.includes(AT_ALL_TAG);
  const me = list.includes(userID);
  if (all) return me ? GroupAtType.AtAllAtMe : GroupAtType.AtAll;
  return me ? GroupAtType.AtMe : undefined;
}

/** Conversation → groupAtType for the mentions among newly received messages (the latest mention wins). */
export function mentionsIn(e: SdkEvent, userID: string): Map<string, number> {
  const out = new Map<string, number>();
  if (e.event !== 'OnRecvNewMessages' || !Array.isArray(e.data)) return out;
  for (const m of e.data as Mention[]) {
    const type = groupAtTypeOf(m, userID);
    if (type !== undefined && typeof m.groupID === 'string') out.set(`sg_${m.groupID}`, type);
  }
  return out;
}
