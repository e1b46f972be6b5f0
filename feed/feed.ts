/**
 * One app instance's feed: the one object that turns its upstream session's events into the
 * frames that instance is sent, and outlives the socket that carries them. Stages, in order:
 * SDK-core rules and `seen` (core_func/upstream/upstreamSession.ts), continuity `admit`
 * (core_func/continuity), conversion (conversion.ts), the unread total (coalesced), follow-ups
 * (followUpChain.ts), the sync hold (syncHold.ts), kick dedup, and the outbound queue
 * (outboundQueue.ts), which is also the resume buffer. A socket attaches as a `FeedPort`:
 * frames are written through it while it takes them, relation changes the app already has are
 * left out there, and each write is acknowledged to continuity and the relation tracker.
 * Park = detach the port (the feed waits in the resume store); resume = attach the next one.
 */
import { BridgeError, ErrorCode, toBridgeError } from '../common/errors';
import type { Logger } from '../common/logger';
import { LoginStatus } from '../core_func/adapters/auth';
import { UnreadTotalTracker } from '../core_func/coreRules/unreadTotal';
import { Continuity, type ContinuityDeps } from '../core_func/continuity/continuity';
import type { RelationSnapshots } from '../core_func/continuity/relationSnapshots';
import type { RelationTracker } from '../core_func/continuity/relationTracker';
import type { SdkEvent } from '../core_func/upstream/clientSdk';
import { UpstreamSession, type UpstreamTarget } from '../core_func/upstream/upstreamSession';
import { framesOf } from './conversion';
import type { FanOutCache } from './fanOutCache';
import { FollowUpChain } from './followUpChain';
import { frame, type FeedFrame } from './frame';
import { OutboundQueue, type QueueLimits } from './outboundQueue';
import type { Parkable, ResumeStore } from './resumeStore';
import { SyncHold, type SyncHoldCut, type SyncHoldLimits } from './syncHold';

/** The socket side of a feed (module/session/session.ts). */
export interface FeedPort {
  /** Writes a frame now; false when the socket did not take it (the frame stays queued). */
  write(f: FeedFrame): boolean;
  /** Frames wait in the queue: write them as the socket drains. */
  pending(): void;
  /** The upstream session ended for good (`event`: why); the port closes its socket. */
  ended(event: string): void;
  /**
   * The app is told OnKickedOffline (once: `Feed.claimKick`) and the socket closes: a newer
   * login of the same user and platform replaced this one, or an operator kicked it.
   */
  kickedOff(reason: string): void;
  /** The queue passed its bound: the port gives up its socket (the client logs in afresh). */
  overflowed(): void;
  /** Bytes written to the socket and not yet sent. */
  readonly bufferedAmount: number;
}

/** The process-wide pace of new upstream logins (module/session/loginPace.ts). */
export interface LoginTurns {
  /** Resolves with the ms waited once this login may start; rejects (answered as the login's failure) when its turn is further than `maxWaitMs`. */
  turn(maxWaitMs: number): Promise<number>;
}

export interface FeedObserver {
  resume?(outcome: 'overflow' | 'expired'): void;
  syncHoldCut?(reason: SyncHoldCut): void;
}

/** What every feed of the bridge shares. */
export interface FeedDeps {
  readonly upstream: UpstreamTarget;
  readonly loginTimeoutMs: number;
  readonly upstreamHeartbeatMs?: number;
  /** New upstream logins wait for their turn here (resumes do not); absent: unpaced. */
  readonly loginPace?: LoginTurns;
  readonly queue: QueueLimits;
  readonly syncHold: SyncHoldLimits;
  /** Where feeds wait for their client to come back; absent: a lost socket ends the feed. */
  readonly resume?: ResumeStore<Feed>;
  /** Feeds of logged-in instances, one per user and platform. */
  readonly registry: { release(userID: string, platformID: number, feed: Feed): void };
  readonly relations?: RelationSnapshots;
  readonly continuity?: ContinuityDeps;
  readonly observer?: FeedObserver;
  /** Messages to many instances converted and encoded once (fanout_cache_entries); absent: each on its own. */
  readonly fanOut?: FanOutCache;
}

export interface FeedInstance {
  readonly userID: string;
  readonly platformID: number;
  readonly token: string;
  /** The operationID of the login URL (core_func/continuity/appInstance.ts). */
  readonly loginOperationID: string;
}

/** Upstream events after which the upstream session is gone for good. */
const TERMINAL_EVENTS = new Set(['OnKickedOffline', 'OnUserTokenExpired', 'OnUserTokenInvalid']);

/** `loggingIn`: frames queue until Login is decided; `live`: with or without a port; `parked`: in the resume store. */
type Phase = 'new' | 'loggingIn' | 'live' | 'parked' | 'ended';

export class Feed implements Parkable {
  private phase: Phase = 'new';
  private port?: FeedPort;
  private upstreamSession?: UpstreamSession;
  private continuity?: Continuity;
  private relations?: RelationTracker;
  private readonly queue: OutboundQueue;
  private readonly unread: UnreadTotalTracker;
  private readonly followUps: FollowUpChain;
  private readonly syncHold: SyncHold<FeedFrame>;
  private kickedSent = false;
  private loggedInAt?: number;

  constructor(
    private readonly deps: FeedDeps,
    readonly instance: FeedInstance,
    private readonly log: Logger,
  ) {
    this.queue = new OutboundQueue(deps.queue);
    this.unread = new UnreadTotalTracker(
      () => this.upstreamSession,
      (total, operationID) => this.deliver(frame('OnTotalUnreadMessageCountChanged', total, operationID)),
    );
    this.followUps = new FollowUpChain(instance, () => this.upstreamSession, (f) => this.deliver(f), log);
    this.syncHold = new SyncHold<FeedFrame>(deps.syncHold, (f) => this.enqueue(f), (reason) => {
      this.log.warn({ reason, limits: deps.syncHold }, 'sync hold cut short: OnSyncServerFinish sent before the login\'s catch-up');
      deps.observer?.syncHoldCut?.(reason);
    });
  }

  get userID(): string {
    return this.instance.userID;
  }

  get platformID(): number {
    return this.instance.platformID;
  }

  get token(): string {
    return this.instance.token;
  }

  get upstream(): UpstreamSession | undefined {
    return this.upstreamSession;
  }

  private get ended(): boolean {
    return this.phase === 'ended';
  }

  /** Logged in with a socket attached. */
  get isActive(): boolean {
    return this.phase === 'live' && this.port !== undefined;
  }

  /** Bytes of frames waiting for a socket. */
  get bufferedBytes(): number {
    return this.queue.byteSize;
  }

  /** Bytes waiting for the client: in the queue and on the socket carrying the feed. */
  get queuedBytes(): number {
    return this.queue.byteSize + (this.port?.bufferedAmount ?? 0);
  }

  /** Waiting in the resume store for its client. */
  get isParked(): boolean {
    return this.phase === 'parked';
  }

  /** When its upstream login succeeded (Date.now()); a resume keeps it. */
  get since(): number | undefined {
    return this.loggedInAt;
  }

  /**
   * Logs in upstream and, for an instance seen for the first time, records it in the state
   * store: settles only when both are done (or the login failed). Frames of events that come
   * meanwhile wait in the queue. A new upstream login first waits for its turn under the
   * process-wide pace, for at most half of the login timeout (and of `deadlineLeftMs`, what is
   * left before the connection's login deadline), so the upstream login keeps the rest.
   */
  async login(operationID: string, deadlineLeftMs = Infinity): Promise<void> {
    this.phase = 'loggingIn';
    const { userID, platformID, token, loginOperationID } = this.instance;
    const waited = this.deps.loginPace ? await this.deps.loginPace.turn(Math.min(this.deps.loginTimeoutMs, deadlineLeftMs) / 2) : 0;
    if (this.phase !== 'loggingIn') throw new BridgeError(ErrorCode.Network, 'the session ended while logging in');
    this.continuity = await this.openContinuity();
    const upstream = await UpstreamSession.open(
      this.deps.upstream,
      { userID, token, platformID, operationID, timeoutMs: Math.max(1, this.deps.loginTimeoutMs - waited), heartbeatMs: this.deps.upstreamHeartbeatMs, onTaskFailure: (task, err) => this.log.warn({ task, err: toBridgeError(err).message }, 'client SDK background task failed'), tapLoginSync: this.deps.relations?.enabled === true },
      { seen: (e) => this.continuity?.seen(e), event: (e) => this.receive(e) },
    );
    if (this.phase !== 'loggingIn') {
      upstream.dispose();
      throw new BridgeError(ErrorCode.Network, 'the session ended while logging in');
    }
    this.upstreamSession = upstream;
    await this.continuity?.enrol();
    if (this.phase !== 'loggingIn') throw new BridgeError(ErrorCode.Network, 'the session ended while logging in');
    this.phase = 'live';
    this.loggedInAt = Date.now();
    this.relations = this.deps.relations?.open({ userID, platformID, loginOperationID }, this.log);
  }

  /** Login was answered: the login's relation catch-up and the continuity's catch-up may start. */
  begin(operationID: string): void {
    const upstream = this.upstreamSession;
    if (this.phase === 'ended' || !upstream) return;
    const ctx = { operationID, userID: this.userID, platformID: this.platformID, loginStatus: LoginStatus.Logged, upstream };
    const sdkReads = upstream.takeLoginSyncReads();
    const caughtUp = this.relations?.catchUp(ctx, sdkReads);
    if (caughtUp) this.syncHold.hold(caughtUp.then((events) => events.map((e) => frame(e.event, e.data, operationID))));
    this.continuity?.loggedIn();
  }

  /** Frames queued while a failed login was being decided, in order; the feed is ended. */
  failed(): FeedFrame[] {
    const frames = this.queue.takeAll();
    this.end();
    return frames;
  }

  /** A socket carries this feed from now on; what waits in the queue is written as it drains. */
  attach(port: FeedPort): void {
    if (this.phase === 'ended') return;
    this.port = port;
    if (this.queue.size > 0) port.pending();
  }

  /** The socket is gone: the feed waits in the resume store. False when it cannot (it is ended instead). */
  park(): boolean {
    this.port = undefined;
    const store = this.deps.resume;
    if (this.phase !== 'live' || !store?.accepting || !this.upstreamSession) {
      this.end();
      return false;
    }
    this.phase = 'parked';
    store.park(this);
    return true;
  }

  /** Taken from the resume store by a login of the same instance. */
  resumed(): void {
    if (this.phase === 'parked') this.phase = 'live';
  }

  releaseParked(reason: 'expired' | 'evicted' | 'dropped'): void {
    if (this.phase !== 'parked') return;
    this.log.info({ reason, buffered: this.queue.size }, 'parked session released');
    if (reason === 'expired') this.deps.observer?.resume?.('expired');
    this.end();
  }

  replacedByNewLogin(): void {
    this.log.info('replaced by a newer login of the same user and platform');
    if (this.phase === 'parked') this.deps.resume?.drop(this);
    else if (this.port) this.port.kickedOff('replaced by a new login');
    else this.end();
  }

  /** An operator's kick (admin API): the app is told OnKickedOffline and may log in again; a parked feed is dropped. */
  kick(): void {
    if (this.phase === 'ended') return;
    this.log.info('kicked by an operator');
    if (this.phase === 'parked') this.deps.resume?.drop(this);
    else if (this.port) this.port.kickedOff('kicked by an operator');
    else this.end();
  }

  /** The next frame to write, if any; frames telling the app a relation change it has are dropped here. */
  next(): FeedFrame | undefined {
    for (let f = this.queue.peek(); f; f = this.queue.peek()) {
      if (!this.relations?.alreadyKnown(f.event, f.data, this.userID)) return f;
      this.queue.shift();
    }
    return undefined;
  }

  /** The frame `next()` returned was written. */
  written(f: FeedFrame): void {
    this.queue.shift();
    this.acknowledge(f);
  }

  /** Whether OnKickedOffline may still be sent (it is sent once); claims it. */
  claimKick(): boolean {
    if (this.kickedSent) return false;
    this.kickedSent = true;
    return true;
  }

  /** Releases everything upstream; nothing more is sent. */
  end(): void {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    this.port = undefined;
    this.unread.stop();
    this.syncHold.stop();
    this.continuity?.close();
    this.deps.registry.release(this.userID, this.platformID, this);
    this.upstreamSession?.dispose();
    this.upstreamSession = undefined;
    this.relations?.close();
    this.relations = undefined;
    this.queue.clear();
  }

  /** An upstream event, past the SDK-core rules (the upstream session hands every one here). */
  receive(upstreamEvent: SdkEvent): void {
    if (this.phase === 'ended') return;
    const admitted = this.continuity ? this.continuity.admit(upstreamEvent) : { event: upstreamEvent };
    if (!admitted) return; // every message of it was handed on already (continuity)
    const { event: e, seqs } = admitted;
    framesOf(e, seqs, (f) => this.deliver(f), this.deps.fanOut);
    this.unread.observe(e.event, e.operationID);
    this.followUps.after(e);
    if (!TERMINAL_EVENTS.has(e.event)) return;
    if (this.port) {
      this.log.info({ event: e.event }, 'upstream session ended');
      this.port.ended(e.event);
    } else if (this.phase === 'parked') {
      // Kicked while away (up to v3.8.3-patch.7 even by a connection with the same token): a
      // returning client must log in afresh, not resume an upstream the server has closed.
      this.log.info({ event: e.event }, 'upstream of a parked session ended');
      this.deps.resume?.drop(this);
    }
  }

  private deliver(f: FeedFrame): void {
    if (this.phase === 'ended' || !this.syncHold.admit(f)) return;
    this.enqueue(f);
  }

  private enqueue(f: FeedFrame): void {
    if (this.phase === 'ended') return;
    if (f.event === 'OnKickedOffline' && !this.claimKick()) return;
    const port = this.port;
    // The usual case: nothing waits and the socket takes it; no copy, no accounting.
    if (port && this.queue.size === 0) {
      if (this.relations?.alreadyKnown(f.event, f.data, this.userID)) return;
      if (port.write(f)) {
        this.acknowledge(f);
        return;
      }
    }
    if (this.ended) return; // the port could not take it and could not park it
    if (!this.queue.push(f, this.phase !== 'loggingIn')) return this.overflow();
    this.port?.pending();
  }

  private acknowledge(f: FeedFrame): void {
    this.relations?.told(f.event, f.data, this.userID);
    this.continuity?.written(f.seqs);
  }

  private overflow(): void {
    this.log.warn({ limits: this.deps.queue }, 'outbound queue overflowed: session dropped');
    this.deps.observer?.resume?.('overflow');
    if (this.phase === 'parked') this.deps.resume?.drop(this);
    else if (this.port) this.port.overflowed();
    else this.end();
  }

  /** The app instance's continuity: its cursors read from the state store, its events sent through this feed. */
  private openContinuity(): Promise<Continuity> | undefined {
    const deps = this.deps.continuity;
    if (!deps) return undefined;
    const { userID, platformID, loginOperationID } = this.instance;
    return Continuity.open(deps, { userID, platformID, loginOperationID }, {
      upstream: () => this.upstreamSession,
      deliver: (event, data, operationID, seqs) => this.deliver(frame(event, data, operationID, seqs)),
      unreadMayHaveChanged: (operationID) => this.unread.observe('OnConversationChanged', operationID),
      log: this.log,
    });
  }
}
