/**
 * Keeps OnSyncServerFinish, and every event after it, back while a catch-up is being worked
 * out, so the app gets the catch-up's events first: the OpenIM SDK core v3.8 sends its
 * friend and group sync events before OnSyncServerFinish (conversation_notification.go,
 * syncFlag, AppDataSyncStart), and apps refresh their lists at OnSyncServerFinish.
 */

interface Named {
  readonly event: string;
}

export const SYNC_FINISH = 'OnSyncServerFinish';

export class SyncFinishHold<E extends Named> {
  private pending = 0;
  private held?: E[];

  /** Whether an event may be sent now; false: it is kept and sent by `hold` later, in order. */
  admit(e: E): boolean {
    if (this.pending === 0) return true;
    if (!this.held && e.event !== SYNC_FINISH) return true;
    (this.held ??= []).push(e);
    return false;
  }

  /** Sends the events `work` resolves with, then those kept meanwhile. `work` must not reject. */
  hold(work: Promise<readonly E[]>, send: (e: E) => void): void {
    this.pending++;
    void work.then((events) => {
      this.pending--;
      const held = this.pending === 0 ? (this.held ?? []) : [];
      if (this.pending === 0) this.held = undefined;
      for (const e of events) send(e);
      for (const e of held) send(e);
    });
  }
}
