/**
 * The per-conversation ordering gate: every seq of a conversation is handed on at most once
 * and in ascending order, whichever way it comes — a live push or a catch-up page. While a
 * conversation's gap is being pulled its live pushes wait; when the pull ends, those the
 * pull already handed on are dropped and the rest follow in seq order. While a catch-up is
 * due but has not begun (a known instance's login, an upstream reconnect) every
 * conversation's pushes wait: a push past a gap would otherwise shut out the gap's seqs.
 */

export interface Sequenced {
  readonly conversationID: string;
  /** 0: a message without a seq (online-only); it is never held or deduplicated. */
  readonly seq: number;
}

export class OrderingGate<T> {
  private readonly handed: Map<string, number>;
  /** Made at the first push held back / the first pull: most sessions never need them. */
  private held?: Map<string, T[]>;
  private pulling?: Set<string>;
  private holdingAll = false;

  /** `initial`: per conversation the highest seq the app instance already has. */
  constructor(
    private readonly key: (m: T) => Sequenced,
    initial: ReadonlyMap<string, number> = new Map(),
  ) {
    this.handed = new Map(initial);
  }

  /** The highest seq handed on (or known to the app) in a conversation; 0 when none. */
  handedUpTo(conversationID: string): number {
    return this.handed.get(conversationID) ?? 0;
  }

  catchingUp(conversationID: string): boolean {
    return this.pulling?.has(conversationID) === true;
  }

  /** A catch-up is due: every conversation's pushes wait until releaseAll(). */
  holdAll(): void {
    this.holdingAll = true;
  }

  /** The catch-up is over: what waited and is still new, per conversation in seq order. */
  releaseAll(): T[] {
    this.holdingAll = false;
    const out: T[] = [];
    if (!this.held) return out;
    for (const conversationID of [...this.held.keys()]) if (!this.catchingUp(conversationID)) out.push(...this.end(conversationID));
    return out;
  }

  /**
   * A live push: what may be handed on now, in the push's order. `keys`, when given, receives
   * each handed-on message's key at the same index (the caller need not compute it again).
   */
  live(messages: readonly T[], keys?: Sequenced[]): T[] {
    const out: T[] = [];
    for (const m of messages) {
      const key = this.key(m);
      const { conversationID, seq } = key;
      if (seq > 0 && (this.holdingAll || this.catchingUp(conversationID))) {
        const held = (this.held ??= new Map());
        const list = held.get(conversationID);
        if (list) list.push(m);
        else held.set(conversationID, [m]);
      } else if (this.take(conversationID, seq)) {
        out.push(m);
        keys?.push(key);
      }
    }
    return out;
  }

  /** Live pushes of the conversation wait from now until end(). */
  begin(conversationID: string): void {
    (this.pulling ??= new Set()).add(conversationID);
  }

  /** One page of the catch-up pull: what may be handed on, in seq order. */
  page(conversationID: string, messages: readonly T[]): T[] {
    return this.ordered(conversationID, messages);
  }

  /** The pull is over: the live pushes that waited and are still new, in seq order. */
  end(conversationID: string): T[] {
    const held = this.held?.get(conversationID) ?? [];
    this.held?.delete(conversationID);
    this.pulling?.delete(conversationID);
    return this.ordered(conversationID, held);
  }

  private ordered(conversationID: string, messages: readonly T[]): T[] {
    // Each message's seq once, not once per comparison.
    const bySeq = messages.map((m) => ({ m, seq: this.key(m).seq })).sort((a, b) => a.seq - b.seq);
    const out: T[] = [];
    for (const { m, seq } of bySeq) if (this.take(conversationID, seq)) out.push(m);
    return out;
  }

  private take(conversationID: string, seq: number): boolean {
    if (seq <= 0) return true;
    if (seq <= (this.handed.get(conversationID) ?? 0)) return false;
    this.handed.set(conversationID, seq);
    return true;
  }
}
