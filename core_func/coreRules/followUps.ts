/**
 * Events the OpenIM SDK core would fire that @openim/client-sdk 0.0.14 misses, derived from an
 * event it does fire. Each follow-up runs after the event that triggers it; the session runs
 * them one after another so their events keep their order.
 */
import type { CallContext } from '../adapter';
import { relationsWith } from '../upstream/rest/friend';
import type { UpstreamSession } from '../upstream/upstreamSession';

export interface FollowUpEvent {
  readonly event: string;
  readonly data: unknown;
}

export type FollowUp = (data: unknown, ctx: CallContext & { readonly upstream: UpstreamSession }) => Promise<FollowUpEvent[]>;

/**
 * The applicant of an accepted friend application: the client SDK never syncs friends on the
 * approval notification, so it would learn of its new friend only at its next login.
 */
const applicantFriendAdded: FollowUp = async (data, ctx) => {
  const app = (data ?? {}) as { fromUserID?: unknown; toUserID?: unknown };
  if (app.fromUserID !== ctx.userID || typeof app.toUserID !== 'string') return [];
  const { friends } = await relationsWith(ctx, [app.toUserID]);
  const friend = friends.get(app.toUserID);
  return friend ? [{ event: 'OnFriendAdded', data: friend }] : [];
};

export const FOLLOW_UPS: ReadonlyMap<string, FollowUp> = new Map([['OnFriendApplicationAccepted', applicantFriendAdded]]);
