/**
 * Keeps OnSyncServerFinish, and every event after it, back while a login's catch-up is being
 * worked out, so the app gets the catch-up's events first: the OpenIM SDK core v3.8 sends its
 * friend and group sync events before OnSyncServerFinish (conversation_notification.go,
 * syncFlag, AppDataSyncStart), and apps refresh their lists at OnSyncServerFinish.
 *
 * Bounded: past `maxEvents` held events, or `maxMs` after the hold began, what is held is sent
 * at once (the cut is reported, for a metric) and the catch-up's events follow when they come.
 */

interface Named {
  readonly event: string;
}

export const SYNC_FINISH = 'OnSyncServerFinish';

export interface SyncHoldLimits {
  readonly maxEvents: number;
  readonly maxMs: number;
}

export type SyncHoldCut = 'events' | 'time';

export class SyncHold<E extends Named> {
  private pending = 0;
  private held?: E[];
  private cutOff = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly limits: SyncHoldLimits,
    /** Where admitted-later events go, in order. */
    private readonly send: (e: E) => void,
    private readonly onCut?: (reason: SyncHoldCut) => void,
  ) {}

  /** Held events now (accounting). */
  get size(): number {
    return this.held?.length ?? 0;
  }

  /** Whether an event may be sent now; false: it is kept and sent later, in order. */
  admit(e: E): boolean {
    if (this.pending === 0 || this.cutOff) return true;
    if (!this.held && e.event !== SYNC_FINISH) return true;
    (this.held ??= []).push(e);
    if (this.held.length >= this.limits.maxEvents) this.cut('events');
    return false;
  }

  /** Sends the events `work` resolves with, then those kept meanwhile. `work` must not reject. */
  hold(work: Promise<readonly E[]>): void {
    this.pending++;
    if (!this.timer) {
      this.timer = setTimeout(() => this.cut('time'), this.limits.maxMs);
      this.timer.unref();
    }
    void work.then((events) => {
      this.pending--;
      for (const e of events) this.send(e);
      if (this.pending > 0) return;
      this.cutOff = false;
      clearTimeout(this.timer);
      this.timer = undefined;
      this.release();
    });
  }

  /** Nothing more is sent (the feed ended). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held = undefined;
  }

  private cut(reason: SyncHoldCut): void {
    if (this.cutOff || this.pending === 0) return;
    this.cutOff = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.onCut?.(reason);
    this.release();
  }

  private release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const e of held) this.send(e);
  }
}
