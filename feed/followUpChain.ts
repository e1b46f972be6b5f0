/**
 * Follow-up events (core_func/coreRules/followUps.ts), run one after another in the order of
 * their triggers, so their events keep that order; a failed one is logged and skipped.
 */
import { toBridgeError } from '../common/errors';
import type { Logger } from '../common/logger';
import { LoginStatus } from '../core_func/adapters/auth';
import { FOLLOW_UPS } from '../core_func/coreRules/followUps';
import type { SdkEvent } from '../core_func/upstream/clientSdk';
import type { UpstreamSession } from '../core_func/upstream/upstreamSession';
import { frame, type FeedFrame } from './frame';

export class FollowUpChain {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly who: { readonly userID: string; readonly platformID: number },
    private readonly upstream: () => UpstreamSession | undefined,
    private readonly out: (f: FeedFrame) => void,
    private readonly log: Logger,
  ) {}

  /** Queues the follow-ups of `e`, if it has any. */
  after(e: SdkEvent): void {
    const derive = FOLLOW_UPS.get(e.event);
    if (!derive) return;
    this.chain = this.chain.then(async () => {
      const upstream = this.upstream();
      if (!upstream) return;
      const ctx = { operationID: e.operationID, userID: this.who.userID, platformID: this.who.platformID, loginStatus: LoginStatus.Logged, upstream };
      try {
        for (const f of await derive(e.data, ctx)) this.out(frame(f.event, f.data, e.operationID));
      } catch (err) {
        this.log.warn({ event: e.event, err: toBridgeError(err).message }, 'follow-up event failed');
      }
    });
  }

  /** Resolves when every follow-up queued so far has run (tests). */
  settled(): Promise<void> {
    return this.chain;
  }
}
