/**
 * The SDK-core rules: where @openim/client-sdk 0.0.14 and openim-sdk-core v3.5.1 (what jssdk
 * apps were written against) disagree, the bridge does what the SDK core does; one rule per
 * file, applied here (inside the client SDK's message handling, or on its events).
 */
import type { MessageHooks, SdkEvent } from '../upstream/clientSdk';
import { syncedConversation, unsetFields } from './conversationSync';
import { ownMessagesNotUnread } from './ownMessagesNotUnread';
import { withoutOwnSends, type OwnSends } from './ownSends';
import { readReceipt } from './peerReadReceipt';

/** The rules that act inside the client SDK, for the session of `userID`. */
export function coreRuleHooks(userID: string): MessageHooks {
  return { beforeMessages: ownMessagesNotUnread(userID), conversationNotification: readReceipt, syncedConversation, unsetFields };
}

/** The rules that act on the client SDK's events: the event as the SDK core would fire it, or undefined when it would not. */
export function asTheSdkCore(e: SdkEvent, userID: string, own: OwnSends): SdkEvent | undefined {
  return withoutOwnSends(e, userID, own);
}

