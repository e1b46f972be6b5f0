/**
 * internal/push/push_handler.go groupMessagesHandler, run by Push2Group for every group message
 * it pushes, each copy of a notification included (the `sg_` chat copy and the `n_` one): for
 * MemberQuitNotification (1504) and MemberKickedNotification (1508) it reads the leavers from the
 * tips, calls DeleteMemberAndSetConversationSeq for them and adds them to the push, since they
 * are no longer members. The same in v3.8.0, v3.8.3 and v3.8.3-patch.16.
 */
import type { SdkWsProto } from '@openim/protocol';

const MEMBER_QUIT_NOTIFICATION = 1504;
const MEMBER_KICKED_NOTIFICATION = 1508;

interface LeaverTips {
  quitUser?: { userID?: string };
  kickedUserList?: Array<{ userID?: string }> | null;
}

/** unmarshalNotificationElem: the content's `detail` string holds the tips' JSON; undefined when it does not parse. */
function tipsOf(content: Uint8Array): LeaverTips | undefined {
  try {
    const elem = JSON.parse(new TextDecoder().decode(content)) as { detail?: unknown };
    return typeof elem.detail === 'string' ? (JSON.parse(elem.detail) as LeaverTips) : undefined;
  } catch {
    return undefined;
  }
}

/** The users who left with this message (empty for every other message). */
export function leavingUsers(msg: SdkWsProto.MsgData): string[] {
  if (msg.contentType !== MEMBER_QUIT_NOTIFICATION && msg.contentType !== MEMBER_KICKED_NOTIFICATION) return [];
  const tips = tipsOf(msg.content);
  if (!tips) return [];
  if (msg.contentType === MEMBER_QUIT_NOTIFICATION) return tips.quitUser?.userID ? [tips.quitUser.userID] : [];
  return (tips.kickedUserList ?? []).map((m) => m.userID ?? '').filter((id) => id !== '');
}
