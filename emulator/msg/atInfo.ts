/**
 * Who an @-message marks, and how: the msg rpc's setConversationAtInfo, which the real server
 * runs (as a goroutine) after a group AtText message is accepted, writing each mentioned
 * member's conversation groupAtType through the conversation rpc's SetConversations.
 */
import type { SdkWsProto } from '@openim/protocol';

/** protocol/constant AtAllString: the "@everyone" entry of atUserIDList. */
export const AT_ALL_TAG = 'AtAllTag';
/** protocol/constant AtMe / AtAll / AtAllAtMe / GroupNotification (a new group announcement). */
export const GroupAtType = { AtMe: 1, AtAll: 2, AtAllAtMe: 3, GroupNotification: 4 } as const;

/** One SetConversations call: these users' conversation gets this groupAtType. */
export interface AtInfoWrite {
  userIDs: string[];
  groupAtType: number;
}

/**
 * internal/rpc/msg/send.go setConversationAtInfo. 'v3.8.3' (the v3.8.3 tag and every patch
 * through v3.8.3-patch.16): only group members are marked; with the AtAllTag the sender is left
 * out, the members listed besides get AtAllAtMe and the other members AtAll; without it the
 * listed members get AtMe (the sender too, if listed). 'v3.8.0': no member filter, and the
 * AtAllTag marks every member, the sender included (stringutil.DifferenceString on the raw
 * lists, no DeleteElems of the sender); users listed besides get AtAllAtMe.
 */
export function conversationAtInfo(msg: Pick<SdkWsProto.MsgData, 'sendID' | 'atUserIDList'>, memberIDs: readonly string[], rules: 'v3.8.0' | 'v3.8.3'): AtInfoWrite[] {
  const listed = msg.atUserIDList ?? [];
  const filter = rules === 'v3.8.3';
  const inGroup = (ids: readonly string[]): string[] => (filter ? ids.filter((u) => memberIDs.includes(u)) : [...ids]);
  if (!listed.includes(AT_ALL_TAG)) return [{ userIDs: unique(inGroup(listed)), groupAtType: GroupAtType.AtMe }];
  const everyone = filter ? memberIDs.filter((u) => u !== msg.sendID) : [...memberIDs];
  const besides = listed.filter((u) => u !== AT_ALL_TAG);
  const named = unique(filter ? besides.filter((u) => everyone.includes(u)) : besides);
  if (named.length === 0) return [{ userIDs: unique(everyone), groupAtType: GroupAtType.AtAll }];
  // datautil.Single / DifferenceString: the members not named, plus (v3.8.0) named users who are not members.
  const rest = [...everyone.filter((u) => !named.includes(u)), ...named.filter((u) => !everyone.includes(u))];
  return [
    { userIDs: named, groupAtType: GroupAtType.AtAllAtMe },
    { userIDs: unique(rest), groupAtType: GroupAtType.AtAll },
  ];
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
