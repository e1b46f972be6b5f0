/**
 * Rule: a session's own sends are not new messages to it. openim-sdk-core v3.5.1 (doMsgNew)
 * finds a pushed message of the logged-in user in its local database by clientMsgID when this
 * terminal sent it, and then only updates it; a message the user sent from another device is
 * not there and is reported as new. @openim/client-sdk 0.0.14 reports every push as new.
 */
import type { SdkEvent } from '../upstream/clientSdk';

/**
 * Sends awaiting their push back are few (each push removes its entry); the bound only keeps a
 * session whose pushes never come (an upstream that does not push to the sender) from growing.
 */
export const OWN_SENDS_REMEMBERED = 10_000;

/** The clientMsgIDs this session sent whose push back has not arrived yet, oldest first. */
export class OwnSends {
  /** Made at the first send: an idle session keeps none. */
  private pending?: Set<string>;

  /** Called before the send goes out: its push may arrive before the send's answer. */
  expect(clientMsgID: string): void {
    const pending = (this.pending ??= new Set());
    pending.delete(clientMsgID);
    pending.add(clientMsgID);
    if (pending.size > OWN_SENDS_REMEMBERED) pending.delete(pending.values().next().value as string);
  }

  /** The send failed: no push will come. */
  forget(clientMsgID: string): void {
    this.pending?.delete(clientMsgID);
  }

  /** Whether `clientMsgID` is the push back of a send of this session (each is recognised once). */
  recognise(clientMsgID: string): boolean {
    return this.pending?.delete(clientMsgID) === true;
  }
}

interface Sent {
  sendID?: unknown;
  clientMsgID?: unknown;
}

/** OnRecvNewMessages without this session's own sends; undefined when nothing is left to report. */
export function withoutOwnSends(e: SdkEvent, userID: string, own: OwnSends): SdkEvent | undefined {
  if (e.event !== 'OnRecvNewMessages' || !Array.isArray(e.data)) return e;
  const others = (e.data as Sent[]).filter((m) => !(m.sendID === userID && typeof m.clientMsgID === 'string' && own.recognise(m.clientMsgID)));
  if (others.length === e.data.length) return e;
  return others.length ? { ...e, data: others } : undefined;
}
