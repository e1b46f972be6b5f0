/**
 * One app instance's delivery cursor: per conversation the highest seq it has been given —
 * written to its socket, or deliberately not sent because the SDK core would not report it
 * (its own sends) — with nothing still owed to it below. Messages merely buffered for a
 * parked session are owed, not given: if the buffer is lost, a later catch-up sends them.
 */

export type CursorAdvance = (conversationID: string, seq: number) => void;

export class DeliveryCursor {
  private readonly given: Map<string, number>;
  /** Seqs handed on towards the socket and not written yet, ascending, per conversation (made at the first). */
  private owed?: Map<string, number[]>;
  /** Deliberately skipped seqs that wait for owed ones below them (made at the first). */
  private skippedAbove?: Map<string, number>;

  constructor(
    initial: ReadonlyMap<string, number>,
    private readonly onAdvance: CursorAdvance,
  ) {
    this.given = new Map(initial);
  }

  get(conversationID: string): number {
    return this.given.get(conversationID) ?? 0;
  }

  /** Every conversation's cursor. */
  all(): ReadonlyMap<string, number> {
    return this.given;
  }

  /** The seq is on its way to the socket (queued, replayed, or buffered while parked). */
  owe(conversationID: string, seq: number): void {
    const owed = (this.owed ??= new Map());
    const list = owed.get(conversationID);
    if (list) list.push(seq);
    else owed.set(conversationID, [seq]);
  }

  /** Written to the socket; events are written in order, so everything owed below it was too. */
  written(conversationID: string, seq: number): void {
    const list = this.owed?.get(conversationID);
    if (list) {
      // Owed seqs are ascending (the gate hands them on in order): drop from the front.
      while (list.length > 0 && list[0]! <= seq) list.shift();
      if (list.length === 0) this.owed!.delete(conversationID);
    }
    this.advance(conversationID, seq);
    const skipped = this.skippedAbove?.get(conversationID);
    if (skipped !== undefined && !this.owesBelow(conversationID, skipped)) {
      this.skippedAbove!.delete(conversationID);
      this.advance(conversationID, skipped);
    }
  }

  /** Not sent on purpose; counts as given once nothing below it is still owed. */
  skipped(conversationID: string, seq: number): void {
    if (this.owesBelow(conversationID, seq)) {
      const skippedAbove = (this.skippedAbove ??= new Map());
      skippedAbove.set(conversationID, Math.max(seq, skippedAbove.get(conversationID) ?? 0));
    }
    else this.advance(conversationID, seq);
  }

  private owesBelow(conversationID: string, seq: number): boolean {
    const first = this.owed?.get(conversationID)?.[0];
    return first !== undefined && first < seq;
  }

  private advance(conversationID: string, seq: number): void {
    if (seq <= (this.given.get(conversationID) ?? 0)) return;
    this.given.set(conversationID, seq);
    this.onAdvance(conversationID, seq);
  }
}
