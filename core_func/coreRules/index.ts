/**
 * The SDK-core rules: where @openim/client-sdk 0.0.14 and openim-sdk-core v3.5.1 (what jssdk
 * apps were written against) disagree, the bridge does what the SDK core does; one rule per
 * file, applied here (inside the client SDK's message handling, or on its events).
 */
import type { MessageHooks, SdkEvent } from '../upstream/clientSdk';
import { mentionsIn } from './groupAtType';
import { ownMessagesNotUnread } from './ownMessagesNotUnread';
import { withoutOwnSends, type OwnSends } from './ownSends';
import { readReceipt } from './peerReadReceipt';

/** The rules that act inside the client SDK, for the session of `userID`. */
export function coreRuleHooks(userID: string): MessageHooks {
  return { beforeMessages: ownMessagesNotUnread(userID), conversationNotification: readReceipt };
}

/** The rules that act on the client SDK's events: the event as the SDK core would fire it, or undefined when it would not. */
export function asTheSdkCore(e: SdkEvent, userID: string, own: OwnSends): SdkEvent | undefined {
  return withoutOwnSends(e, userID, own);
}

/** What the SDK core changes in its own state after an event, through `patch` (the client SDK's cached conversation). */
export async function afterEvent(e: SdkEvent, userID: string, patch: (conversationID: string, fields: Record<string, unknown>) => Promise<void>): Promise<void> {
  for (const [conversationID, groupAtType] of mentionsIn(e, userID)) await patch(conversationID, { groupAtType });
}
