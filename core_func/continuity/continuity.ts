/**
 * An app instance's continuity within one session: the ordering gate every chat message
 * passes, the delivery cursor it advances, and the catch-up that pulls from OpenIM what the
 * instance missed while the path was broken (a known instance logging in afresh, and every
 * upstream reconnect). The session hands it upstream events and reports what it wrote.
 */
import type { Logger } from '../../common/logger';
import { toBridgeError } from '../../common/errors';
import type { SdkEvent } from '../upstream/clientSdk';
import type { UpstreamSession } from '../upstream/upstreamSession';
import type { AppInstance } from './appInstance';
import { pullGap, serverMaxSeqs, type ConversationGap } from './catchUp';
import type { CatchUpPace } from './catchUpPace';
import type { CursorStore } from './cursorStore';
import { DeliveryCursor } from './deliveryCursor';
import { isChatConversation, sequenced, type SdkMessage } from './messageShape';
import { toJssdkMessages } from '../shapes/message';
import { toJssdkConversations } from '../shapes/conversation';
import { OrderingGate, type Sequenced } from './orderingGate';

/** What the bridge shares between every session's continuity. */
export interface ContinuityDeps {
  readonly cursors: CursorStore;
  readonly pace: CatchUpPace;
  /** Most messages one conversation's catch-up sends; older ones are skipped (counted). */
  readonly maxMessages: number;
  readonly observer?: ContinuityObserver;
}

export interface ContinuityObserver {
  catchUp?(outcome: { messages: number; conversations: number; truncated: number; seconds: number; failed: boolean }): void;
}

/** How the continuity reaches the session it serves. */
export interface ContinuityHost {
  upstream(): UpstreamSession | undefined;
  /** Sends an event the way live ones go (`seqs`: the chat seqs it gives, for the cursor). */
  deliver(event: string, data: unknown, operationID: string, seqs?: GivenSeqs): void;
  /** Conversations changed: the session recomputes and sends the total unread count. */
  unreadMayHaveChanged(operationID: string): void;
  readonly log: Logger;
}

/** The chat seqs an event gives the app. */
export type GivenSeqs = ReadonlyArray<readonly [string, number]>;

const CONVERSATION_PAGE = 1000;
/** A catch-up that could not finish (the server busy or away) is tried again this many times, this much later each time. */
const CATCHUP_ATTEMPTS = 5;
const CATCHUP_RETRY_MS = 2_000;
const MESSAGE_EVENTS = new Set(['OnRecvNewMessages', 'OnRecvNewMessage']);
/** The base of an instance with none recorded (shared: never written to). */
const NO_BASE: ReadonlyMap<string, number> = new Map();

export class Continuity {
  private readonly gate: OrderingGate<SdkMessage>;
  private readonly cursor: DeliveryCursor;
  private base: ReadonlyMap<string, number>;
  /** Known instance: its first sync after login is followed by a catch-up. */
  private catchUpOnSync: boolean;
  private needsBaseline: boolean;
  private synced = false;
  private active = false;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly deps: ContinuityDeps,
    readonly instance: AppInstance,
    private readonly host: ContinuityHost,
    stored: { given: Map<string, number>; base: Map<string, number> } | undefined,
  ) {
    const given = stored?.given ?? NO_BASE;
    this.base = stored?.base ?? NO_BASE;
    this.cursor = new DeliveryCursor(given, deps.cursors.advancer(instance));
    this.gate = new OrderingGate(sequenced, given);
    this.catchUpOnSync = stored !== undefined;
    this.needsBaseline = stored === undefined;
    if (stored) this.gate.holdAll(); // its catch-up is due: pushes wait for it
  }

  /** Reads the instance's cursors; a store that cannot answer makes it a first login (logged). */
  static async open(deps: ContinuityDeps, instance: AppInstance, host: ContinuityHost): Promise<Continuity> {
    let stored;
    try {
      stored = await deps.cursors.load(instance);
    } catch (err) {
      host.log.warn({ err: toBridgeError(err).message }, 'delivery cursors could not be read: no catch-up for this login');
    }
    return new Continuity(deps, instance, host, stored);
  }

  /** Whether the bridge had seen this app instance before this login. */
  get known(): boolean {
    return !this.needsBaseline;
  }

  /**
   * An upstream event on its way to the relay: chat messages pass the gate (a conversation
   * being caught up holds them back). Returns the event to relay, with the seqs it gives, or
   * undefined when nothing of it is left to send.
   */
  admit(e: SdkEvent): { event: SdkEvent; seqs?: GivenSeqs } | undefined {
    if (e.event === 'OnSyncServerFinish' || e.event === 'OnSyncServerFailed') this.onSync();
    // The upstream connection is lost: what it misses is pulled after it is back; pushes wait.
    if (e.event === 'OnConnecting' && this.synced) this.gate.holdAll();
    if (!MESSAGE_EVENTS.has(e.event)) return { event: e };
    const list = (Array.isArray(e.data) ? e.data : [e.data]) as SdkMessage[];
    const keys: Sequenced[] = [];
    const passed = this.gate.live(list, keys);
    if (passed.length === 0) return undefined;
    const seqs = this.owe(passed, keys);
    // All of it passed in the shape it is relayed in (the usual case): the event as it came, not a copy.
    if (passed.length === list.length && (e.event === 'OnRecvNewMessage') !== Array.isArray(e.data)) return { event: e, seqs };
    const data = e.event === 'OnRecvNewMessage' ? passed[0] : passed;
    return { event: { ...e, data }, seqs };
  }

  /**
   * Every upstream event before the SDK-core rules filter it: the instance's own sends, which
   * the rules do not report to it, count as given (nothing is owed for them).
   */
  seen(e: SdkEvent): void {
    if (!MESSAGE_EVENTS.has(e.event)) return;
    for (const m of (Array.isArray(e.data) ? e.data : [e.data]) as SdkMessage[]) {
      // The cheap field test first: only the instance's own sends need their conversation.
      if (!this.ownSend(m)) continue;
      const { conversationID, seq } = sequenced(m);
      if (seq > 0 && isChatConversation(conversationID)) this.cursor.skipped(conversationID, seq);
    }
  }

  /** The session wrote an event to the socket. */
  written(seqs: GivenSeqs | undefined): void {
    if (seqs) for (const [c, seq] of seqs) this.cursor.written(c, seq);
  }

  /**
   * Makes a first-seen instance known to the state store before its Login is answered (the
   * server's max seqs now are what the app reads from its lists). Never rejects: when the seqs
   * or the store are unavailable, the baseline is recorded after the first sync, as before.
   */
  async enrol(): Promise<void> {
    const upstream = this.host.upstream();
    if (!this.needsBaseline || !upstream || this.closed) return;
    try {
      const maxSeqs = await serverMaxSeqs(upstream, `enrol-${Date.now()}`);
      const base = new Map([...maxSeqs].filter(([c]) => isChatConversation(c)));
      await this.deps.cursors.enrol(this.instance, base);
      this.base = base;
      this.needsBaseline = false;
    } catch (err) {
      this.host.log.warn({ err: toBridgeError(err).message }, 'app instance not recorded at login: recorded after its first sync instead');
    }
  }

  /** The session is logged in and may send: a pending catch-up may start. */
  loggedIn(): void {
    this.active = true;
    if (this.catchUpOnSync) this.deps.cursors.touch(this.instance); // a known instance: its age counts from this login
    if (this.synced) this.afterSync();
  }

  private onSync(): void {
    if (this.synced && this.active) {
      // An upstream reconnect: the client SDK synced again; pull what the break held back.
      this.schedule('upstream reconnect');
      return;
    }
    this.synced = true;
    if (this.active) this.afterSync();
  }

  private afterSync(): void {
    if (this.needsBaseline) {
      this.needsBaseline = false;
      this.running = this.running.then(() => this.recordBaseline());
      return;
    }
    if (this.catchUpOnSync) {
      this.catchUpOnSync = false;
      this.schedule('login of a known app instance');
    }
  }

  /** `keys[i]`: the key of `messages[i]`. */
  private owe(messages: readonly SdkMessage[], keys: readonly Sequenced[]): GivenSeqs {
    const seqs: Array<readonly [string, number]> = [];
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      const { conversationID, seq } = keys[i]!;
      if (seq <= 0 || !isChatConversation(conversationID)) continue;
      if (this.ownSend(m)) {
        this.cursor.skipped(conversationID, seq);
        continue;
      }
      this.cursor.owe(conversationID, seq);
      seqs.push([conversationID, seq]);
    }
    return seqs;
  }

  /** Sent by this user from this platform: the SDK core reports it to its sender as sent, not as new. */
  private ownSend(m: SdkMessage): boolean {
    return m.sendID === this.instance.userID && m.senderPlatformID === this.instance.platformID;
  }

  /** A first login: the server's max seqs now are what the app reads from its lists. Unrecorded, the instance stays unknown. */
  private async recordBaseline(): Promise<void> {
    const upstream = this.host.upstream();
    if (!upstream || this.closed) return;
    try {
      const maxSeqs = await serverMaxSeqs(upstream, `baseline-${Date.now()}`);
      this.base = new Map([...maxSeqs].filter(([c]) => isChatConversation(c)));
      this.deps.cursors.baseline(this.instance, this.base);
    } catch (err) {
      this.host.log.warn({ err: toBridgeError(err).message }, 'max seqs unavailable at a first login: the instance stays unknown (no catch-up next time)');
    }
  }

  private schedule(reason: string, attempt = 1): void {
    this.running = this.running.then(async () => {
      const done = await this.catchUp(reason, attempt === CATCHUP_ATTEMPTS);
      if (!done && !this.closed) setTimeout(() => this.schedule(reason, attempt + 1), CATCHUP_RETRY_MS * attempt).unref();
    });
  }

  /** One attempt; false when it could not finish and will be tried again (pushes keep waiting meanwhile). */
  private async catchUp(reason: string, last: boolean): Promise<boolean> {
    const upstream = this.host.upstream();
    if (!upstream || this.closed) {
      this.hand(this.gate.releaseAll(), '');
      return true;
    }
    const started = process.hrtime.bigint();
    const operationID = `catchup-${Date.now()}`;
    let maxSeqs: Map<string, number>;
    try {
      maxSeqs = await serverMaxSeqs(upstream, operationID);
    } catch (err) {
      this.host.log.warn({ reason, err: toBridgeError(err).message, last }, 'catch-up: max seqs unavailable');
      this.deps.observer?.catchUp?.({ messages: 0, conversations: 0, truncated: 0, seconds: 0, failed: true });
      if (last) this.hand(this.gate.releaseAll(), operationID);
      return last;
    }
    const gaps: ConversationGap[] = [];
    let truncated = 0;
    for (const [conversationID, maxSeq] of maxSeqs) {
      if (!isChatConversation(conversationID)) continue;
      const had = Math.max(this.gate.handedUpTo(conversationID), this.base.get(conversationID) ?? 0);
      if (maxSeq <= had) continue;
      let from = had + 1;
      if (maxSeq - from + 1 > this.deps.maxMessages) {
        from = maxSeq - this.deps.maxMessages + 1;
        truncated++;
      }
      gaps.push({ conversationID, from, to: maxSeq });
    }
    let messages = 0;
    let failed = false;
    const changed: string[] = [];
    for (const gap of gaps) {
      if (this.closed) break;
      this.gate.begin(gap.conversationID);
      let sent = 0;
      try {
        await pullGap(upstream, gap, this.gate, this.deps.pace, operationID, (page) => (sent += this.hand(page, operationID)));
        sent += this.hand(this.gate.end(gap.conversationID), operationID);
      } catch (err) {
        failed = true;
        this.host.log.warn({ conversationID: gap.conversationID, err: toBridgeError(err).message, last }, 'catch-up pull failed');
        // Its pushes keep waiting for the next attempt: sent now, one past the gap would shut the gap out.
        if (last) sent += this.hand(this.gate.end(gap.conversationID), operationID);
      }
      messages += sent;
      if (sent > 0) changed.push(gap.conversationID);
    }
    if (!failed || last) this.hand(this.gate.releaseAll(), operationID);
    if (changed.length && !this.closed) {
      await this.sendConversations(upstream, changed, operationID).catch((err: unknown) => this.host.log.warn({ err: toBridgeError(err).message }, 'catch-up conversation change failed'));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (gaps.length) this.host.log.info({ reason, conversations: gaps.length, messages, truncated, seconds }, 'caught up');
    this.deps.observer?.catchUp?.({ messages, conversations: gaps.length, truncated, seconds, failed });
    return !failed || last;
  }

  /** Sends what the gate let through, without the instance's own sends (they only move the cursor). */
  private hand(messages: SdkMessage[], operationID: string): number {
    const send: SdkMessage[] = [];
    const keys: Sequenced[] = [];
    for (const m of messages) {
      const key = sequenced(m);
      if (this.ownSend(m)) this.cursor.skipped(key.conversationID, key.seq);
      else {
        send.push(m);
        keys.push(key);
      }
    }
    if (send.length === 0 || this.closed) return 0;
    this.host.deliver('OnRecvNewMessages', toJssdkMessages(send), operationID, this.owe(send, keys));
    return send.length;
  }

  /** OnConversationChanged with the caught-up conversations as the client SDK has them now, then the unread total. */
  private async sendConversations(upstream: UpstreamSession, ids: string[], operationID: string): Promise<void> {
    const wanted = new Set(ids);
    const found: unknown[] = [];
    for (let offset = 0; ; offset += CONVERSATION_PAGE) {
      const page = await upstream.call<Array<{ conversationID?: string }>>('getConversationListSplit', { offset, count: CONVERSATION_PAGE }, operationID);
      found.push(...page.filter((c) => wanted.has(c.conversationID ?? '')));
      if (page.length < CONVERSATION_PAGE) break;
    }
    if (this.closed || found.length === 0) return;
    this.host.deliver('OnConversationChanged', toJssdkConversations(found), operationID);
    this.host.unreadMayHaveChanged(operationID);
  }

  /** The session ended: nothing more is sent; the cursors written so far stay pending for the next commit. */
  close(): void {
    this.closed = true;
  }
}

