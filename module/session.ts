/**
 * One client connection's session: Login creates the upstream session, requests are
 * dispatched through the adapter table and answered by operationID, upstream callbacks
 * are relayed as events, and closing the socket releases everything upstream.
 */
import type { Agent, ClientChannel } from '../gate/agent';
import type { JssdkRequest } from '../gate/frames';
import type { ConnectParams } from '../gate/handshake';
import { BridgeError, ErrorCode, toBridgeError } from '../common/errors';
import type { Logger } from '../common/logger';
import { CloseCode } from '../network/transport';
import type { Adapter, CallContext } from '../core_func/adapter';
import { ArgError, decodeArgs } from '../core_func/args';
import { LoginStatus } from '../core_func/adapters/auth';
import { RELAYS_BY_UPSTREAM } from '../core_func/events';
import { UnreadTotalTracker } from '../core_func/coreRules/unreadTotal';
import { FOLLOW_UPS } from '../core_func/coreRules/followUps';
import { ADAPTERS } from '../core_func/table';
import type { SdkEvent } from '../core_func/upstream/clientSdk';
import type { LocalStore } from '../core_func/localStore/localStore';
import type { RelationSnapshots } from '../core_func/continuity/relationSnapshots';
import type { RelationTracker } from '../core_func/continuity/relationTracker';
import { SyncFinishHold } from '../core_func/continuity/syncFinishHold';
import { Continuity, type ContinuityDeps } from '../core_func/continuity/continuity';
import { UpstreamSession, type UpstreamTarget } from '../core_func/upstream/upstreamSession';
import { EventBuffer, type BufferedEvent, type EventBufferLimits } from './eventBuffer';
import type { Parkable, ResumeStore } from './resumeStore';
import type { Replaceable, SessionRegistry } from './sessionRegistry';
import type { LoginPace } from './loginPace';

export interface SessionLimits {
  readonly maxInflightRequests: number;
  readonly loginTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** A connection not logged in this long after the upgrade is closed. */
  readonly loginDeadlineMs: number;
  /** A connection that sends nothing at all for this long after the upgrade is closed. */
  readonly idleTimeoutMs: number;
  /** A resumed session's missed events are replayed while fewer bytes than this wait on the socket. */
  readonly replayHighWaterBytes: number;
  /** Heartbeat interval of the session's upstream connection; absent: the client SDK's own (10 s). */
  readonly upstreamHeartbeatMs?: number;
}

/** How often a paced replay looks whether the client has read enough to send more. */
export const REPLAY_POLL_MS = 5;

export interface SessionDeps {
  readonly upstream: UpstreamTarget;
  readonly limits: SessionLimits;
  readonly registry: SessionRegistry<Session>;
  /** Where sessions wait for their client to come back; absent: a closed socket ends the session. */
  readonly resume?: { readonly store: ResumeStore<Session>; readonly buffer: EventBufferLimits };
  readonly logger: Logger;
  /** Optional observer (metrics); never required for behaviour. */
  readonly observer?: SessionObserver;
  /** Per-user local data for the local-only jssdk methods. */
  readonly localStore?: LocalStore;
  /** What app instances were told of their relations, for catch-up after a break; absent: none. */
  readonly relations?: RelationSnapshots;
  /** Delivery cursors and catch-up (core_func/continuity); absent: neither. */
  readonly continuity?: ContinuityDeps;
  /** The process-wide pace of upstream logins (module/loginPace.ts); absent: none. */
  readonly loginPace?: LoginPace;
}

export interface SessionObserver {
  request?(method: string, outcome: 'ok' | 'error', errCode: number, seconds: number): void;
  event?(event: string): void;
  login?(outcome: 'ok' | 'error', platformID: number): void;
  resume?(outcome: 'hit' | 'miss' | 'overflow' | 'expired'): void;
}

/** `parked`: the client went away without Logout; upstream lives on and events are buffered. */
type State = 'open' | 'loggingIn' | 'active' | 'parked' | 'closed';

/** Upstream events after which the upstream session is gone for good. */
const TERMINAL_EVENTS = new Set(['OnKickedOffline', 'OnUserTokenExpired', 'OnUserTokenInvalid']);
/**
 * jssdk events on which the jssdk closes its socket and forgets every pending request: sent
 * before a failed Login's answer they would leave the caller's login() pending forever.
 */
const JSSDK_FORCE_CLOSE_EVENTS = new Set(['OnKickedOffline', 'OnUserTokenExpired']);

export class Session implements Agent, Replaceable, Parkable {
  private state: State = 'open';
  private upstream?: UpstreamSession;
  private buffer?: EventBuffer;
  /** Events that arrive while Login is being decided; sent around the Login answer (see login()). */
  private loginEvents?: BufferedEvent[];
  /** Follow-up events (core_func/followUps.ts) run one after another, in the order of their triggers. */
  private followUps: Promise<void> = Promise.resolve();
  /** Missed events still to replay after a resume; live events queue behind them. */
  private replayQueue?: BufferedEvent[];
  private readonly unread = new UnreadTotalTracker(
    () => this.upstream,
    (total, operationID) => this.deliver({ event: 'OnTotalUnreadMessageCountChanged', data: total, operationID, errCode: 0, errMsg: '' }),
  );
  /** What this app instance has been told of its relations (core_func/continuity/relationTracker.ts). */
  private relations?: RelationTracker;
  /** OnSyncServerFinish and what follows wait for the catch-up's events. */
  private readonly syncHold = new SyncFinishHold<BufferedEvent>();
  /** This app instance's gate, cursor and catch-up (core_func/continuity). */
  private continuity?: Continuity;
  private inflight = 0;
  private kickedSent = false;
  /** Set by closeForDrain while a request is in flight: the socket closes when the last one is answered. */
  private drainClose?: () => void;
  private readonly openedAt = Date.now();
  /** When Login succeeded (or the session was resumed), for the admin API. */
  loggedInAt?: number;
  private readonly log: Logger;

  constructor(
    readonly params: ConnectParams,
    private readonly channel: ClientChannel,
    private readonly deps: SessionDeps,
  ) {
    this.log = deps.logger.child({ userID: params.sendID, platformID: params.platformID });
    this.log.info({ operationID: params.operationID, remote: params.remoteAddress }, 'connection opened');
    this.idleTimer = setTimeout(() => this.expire('idle: no request after the upgrade'), deps.limits.idleTimeoutMs);
    this.loginTimer = setTimeout(() => this.expire('login deadline passed'), deps.limits.loginDeadlineMs);
    this.idleTimer.unref();
    this.loginTimer.unref();
  }

  private idleTimer?: NodeJS.Timeout;
  private loginTimer?: NodeJS.Timeout;

  private expire(reason: string): void {
    if (this.state !== 'open' && this.state !== 'loggingIn') return;
    this.log.info({ reason }, 'closing connection that never logged in');
    this.state = 'closed';
    this.clearTimers();
    this.channel.close(CloseCode.PolicyViolation, reason);
  }

  private clearTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.loginTimer);
    this.idleTimer = this.loginTimer = undefined;
  }

  get userID(): string {
    return this.params.sendID;
  }

  get platformID(): number {
    return this.params.platformID;
  }

  get token(): string {
    return this.params.token;
  }

  /** Bytes of events held for the client's return (0 unless parked). */
  get bufferedBytes(): number {
    return this.buffer?.byteSize ?? 0;
  }

  /** Drops the client connection abruptly (tests, operators); the session may be resumed. */
  dropConnection(): void {
    this.channel.terminate();
  }

  get isActive(): boolean {
    return this.state === 'active';
  }

  get isParked(): boolean {
    return this.state === 'parked';
  }

  /** Bytes waiting for the client: on the socket, or held for its return while parked. */
  get queuedBytes(): number {
    return this.state === 'parked' ? this.bufferedBytes : this.channel.bufferedAmount;
  }

  /** An operator's kick (admin API): the app gets OnKickedOffline and may log in again. */
  kick(): void {
    this.log.info('kicked by an operator');
    if (this.state === 'parked') {
      this.deps.resume?.store.drop(this);
      return;
    }
    this.sendKicked();
    this.end(CloseCode.Normal, 'kicked by an operator');
  }

  /**
   * Drain: closes the socket with 1001 (the jssdk reconnects, to another instance) once no
   * request or Login is in flight, since the jssdk never settles a request whose answer it did not get.
   */
  closeForDrain(): void {
    this.drainClose = () => this.channel.close(CloseCode.GoingAway, 'server draining');
    this.closeIfDrained();
  }

  private closeIfDrained(): void {
    if (this.drainClose && this.inflight === 0 && this.state !== 'loggingIn') this.drainClose();
  }

  onRequest(req: JssdkRequest): void {
    clearTimeout(this.idleTimer);
    const adapter = ADAPTERS.get(req.reqFuncName);
    if (!adapter) {
      this.fail(req, new BridgeError(ErrorCode.ProtocolError, `unknown method "${req.reqFuncName}"`));
      return;
    }
    let args: unknown[];
    try {
      args = decodeArgs(adapter.args, req.args);
    } catch (err) {
      if (err instanceof ArgError) this.fail(req, new BridgeError(ErrorCode.ArgsError, `${req.reqFuncName}: ${err.message}`));
      else this.fail(req, toBridgeError(err));
      return;
    }
    if (adapter.kind === 'login') {
      void this.login(req, args[0] as string, args[1] as string);
      return;
    }
    if (adapter.kind === 'logout') return this.logout(req);
    if (adapter.requiresLogin && this.state !== 'active') {
      this.fail(req, new BridgeError(ErrorCode.NotLoggedIn, `${req.reqFuncName} needs a logged-in session: call Login first`));
      return;
    }
    if (this.inflight >= this.deps.limits.maxInflightRequests) {
      this.fail(req, new BridgeError(ErrorCode.TooManyRequests, `too many requests in flight (limit ${this.deps.limits.maxInflightRequests})`));
      return;
    }
    void this.run(adapter, req, args);
  }

  onClose(code: number, reason: string): void {
    this.clearTimers();
    const wasActive = this.state === 'active';
    this.log.info({ code, reason, wasActive }, 'connection closed');
    if (this.state === 'parked' || (wasActive && this.park('connection closed'))) return;
    this.state = 'closed';
    this.releaseUpstream();
  }

  replacedByNewLogin(): void {
    this.log.info('replaced by a newer login of the same user and platform');
    if (this.state === 'parked') {
      this.deps.resume?.store.drop(this);
      return;
    }
    this.sendKicked();
    this.end(CloseCode.Normal, 'replaced by a new login');
  }

  releaseParked(reason: 'expired' | 'evicted' | 'dropped'): void {
    if (this.state !== 'parked') return;
    this.log.info({ reason, buffered: this.buffer?.size ?? 0 }, 'parked session released');
    if (reason === 'expired') this.deps.observer?.resume?.('expired');
    this.state = 'closed';
    this.buffer = undefined;
    this.releaseUpstream();
  }

  /** Takes over a parked session of the same user, platform and token: its upstream and its missed events. */
  private adopt(parked: Session): BufferedReplay {
    const upstream = parked.upstream!;
    const missed = parked.buffer?.drain() ?? [];
    this.continuity = parked.continuity;
    parked.continuity = undefined;
    parked.upstream = undefined;
    parked.buffer = undefined;
    this.relations = parked.relations;
    parked.relations = undefined;
    parked.state = 'closed';
    this.deps.registry.release(parked.userID, parked.platformID, parked);
    this.upstream = upstream;
    upstream.setEventHandler((e) => this.relay(e));
    upstream.onRawEvent = (e) => this.continuity?.seen(e);
    return missed;
  }

  private async run(adapter: Adapter, req: JssdkRequest, args: unknown[]): Promise<void> {
    this.inflight++;
    const started = process.hrtime.bigint();
    const ctx: CallContext = {
      operationID: req.operationID,
      userID: this.userID,
      platformID: this.params.platformID,
      loginStatus: this.loginStatus(),
      upstream: this.upstream,
      localStore: this.deps.localStore,
    };
    try {
      const data = await withTimeout(adapter.run(ctx, args), this.deps.limits.requestTimeoutMs, req.reqFuncName);
      this.answer(req, { errCode: 0, errMsg: '', data }, started);
    } catch (err) {
      // Adapters may find an argument wrong only after decoding (e.g. a field's value).
      const e = err instanceof ArgError ? new BridgeError(ErrorCode.ArgsError, `${req.reqFuncName}: ${err.message}`) : toBridgeError(err);
      this.fail(req, e, started);
    } finally {
      this.inflight--;
      this.closeIfDrained();
    }
  }

  private loginStatus(): number {
    if (this.state === 'active') return LoginStatus.Logged;
    if (this.state === 'loggingIn') return LoginStatus.Logging;
    return LoginStatus.Logout;
  }

  private async login(req: JssdkRequest, userID: string, token: string): Promise<void> {
    if (this.state !== 'open') {
      this.fail(req, new BridgeError(ErrorCode.LoginRepeat, 'login repeat: this connection is already logged in or logging in'));
      return;
    }
    if (userID !== this.params.sendID) {
      this.fail(req, new BridgeError(ErrorCode.ArgsError, 'Login: argument userID must equal the connection\'s sendID'));
      return;
    }
    if (token !== this.params.token) {
      this.fail(req, new BridgeError(ErrorCode.ArgsError, 'Login: argument token must equal the connection\'s token'));
      return;
    }
    const started = process.hrtime.bigint();
    const parked = this.deps.resume?.store.take(userID, this.params.platformID, token);
    if (parked) {
      const missed = this.adopt(parked);
      this.state = 'active';
      this.loggedInAt = parked.loggedInAt ?? Date.now();
      this.clearTimers();
      this.deps.registry.claim(this.userID, this.params.platformID, this);
      this.deps.observer?.resume?.('hit');
      this.log.info({ operationID: req.operationID, replayed: missed.length }, 'resumed parked session');
      this.answer(req, { errCode: 0, errMsg: '', data: undefined }, started);
      this.replayQueue = missed;
      this.pumpReplay();
      return;
    }
    if (this.deps.resume) this.deps.observer?.resume?.('miss');
    this.state = 'loggingIn';
    this.loginEvents = [];
    try {
      const waited = await this.loginTurn();
      if (this.state !== 'loggingIn') return; // the client went away while its login waited
      this.continuity = await this.openContinuity();
      const upstream = await UpstreamSession.open(
        this.deps.upstream,
        { userID, token, platformID: this.params.platformID, operationID: req.operationID, timeoutMs: Math.max(1, this.deps.limits.loginTimeoutMs - waited), heartbeatMs: this.deps.limits.upstreamHeartbeatMs, onTaskFailure: (task, err) => this.log.warn({ task, err: toBridgeError(err).message }, 'client SDK background task failed') },
        (e) => this.relay(e),
      );
      if (this.state !== 'loggingIn') {
        upstream.dispose(); // the client went away while we were logging in
        return;
      }
      this.upstream = upstream;
      upstream.onRawEvent = (e) => this.continuity?.seen(e);
      this.state = 'active';
      this.loggedInAt = Date.now();
      this.clearTimers();
      this.deps.registry.claim(this.userID, this.params.platformID, this);
      this.deps.observer?.login?.('ok', this.params.platformID);
      this.log.info({ operationID: req.operationID }, 'logged in');
      this.relations = this.deps.relations?.open({ userID, platformID: this.params.platformID, loginOperationID: this.params.operationID }, this.log);
      this.flushLoginEvents(() => true);
      this.answer(req, { errCode: 0, errMsg: '', data: undefined }, started);
      this.closeIfDrained();
      const ctx = { operationID: req.operationID, userID, platformID: this.params.platformID, loginStatus: LoginStatus.Logged, upstream };
      const caughtUp = this.relations?.catchUp(ctx);
      if (caughtUp) this.syncHold.hold(caughtUp.then((events) => events.map((e) => ({ ...e, operationID: req.operationID, errCode: 0, errMsg: '' }))), (e) => this.deliver(e));
      this.continuity?.loggedIn();
    } catch (err) {
      const e = toBridgeError(err);
      this.deps.observer?.login?.('error', this.params.platformID);
      if (this.state !== 'loggingIn') return;
      this.state = 'open';
      this.flushLoginEvents((ev) => !JSSDK_FORCE_CLOSE_EVENTS.has(ev.event));
      this.fail(req, e, started);
      this.end(CloseCode.Normal, 'login failed');
    }
  }

  /**
   * Waits for this login's turn (loginPace) for at most half the login timeout (and half what is
   * left before the login deadline closes the connection), so the upstream login keeps the rest.
   */
  private async loginTurn(): Promise<number> {
    const pace = this.deps.loginPace;
    if (!pace) return 0;
    const deadlineLeft = this.deps.limits.loginDeadlineMs - (Date.now() - this.openedAt);
    return pace.turn(Math.min(this.deps.limits.loginTimeoutMs, deadlineLeft) / 2);
  }

  private logout(req: JssdkRequest): void {
    if (this.state !== 'active') {
      this.fail(req, new BridgeError(ErrorCode.NotLoggedIn, 'Logout needs a logged-in session'));
      return;
    }
    this.releaseUpstream();
    this.state = 'closed';
    this.answer(req, { errCode: 0, errMsg: '', data: undefined });
    this.log.info({ operationID: req.operationID }, 'logged out');
    this.channel.close(CloseCode.Normal, 'logout');
  }

  private relay(upstreamEvent: SdkEvent): void {
    const admitted = this.continuity ? this.continuity.admit(upstreamEvent) : { event: upstreamEvent };
    if (!admitted) return; // every message of it was handed on already (continuity)
    const { event: e, seqs } = admitted;
    if (!UnreadTotalTracker.replaces(e.event)) {
      for (const relay of RELAYS_BY_UPSTREAM.get(e.event) ?? []) {
        this.deliver({ event: relay.event, data: relay.convert(e.data), operationID: e.operationID, errCode: e.errCode, errMsg: e.errMsg, seqs });
      }
    }
    this.unread.observe(e.event, e.operationID);
    this.followUp(e);
    if (TERMINAL_EVENTS.has(e.event) && this.state === 'active') {
      this.log.info({ event: e.event }, 'upstream session ended');
      this.end(CloseCode.Normal, e.event);
    } else if (TERMINAL_EVENTS.has(e.event) && this.state === 'parked') {
      // Kicked while away (up to v3.8.3-patch.7 even by a connection with the same token): a
      // returning client must log in afresh, not resume an upstream the server has closed.
      this.log.info({ event: e.event }, 'upstream of a parked session ended');
      this.deps.resume?.store.drop(this);
    }
  }

  private followUp(e: SdkEvent): void {
    const derive = FOLLOW_UPS.get(e.event);
    if (!derive) return;
    this.followUps = this.followUps.then(async () => {
      const upstream = this.upstream;
      if (!upstream) return;
      const ctx = { operationID: e.operationID, userID: this.userID, platformID: this.params.platformID, loginStatus: LoginStatus.Logged, upstream };
      try {
        for (const f of await derive(e.data, ctx)) this.deliver({ event: f.event, data: f.data, operationID: e.operationID, errCode: 0, errMsg: '' });
      } catch (err) {
        this.log.warn({ event: e.event, err: toBridgeError(err).message }, 'follow-up event failed');
      }
    });
  }

  /** Sends an event to the client, or holds it while Login is decided or the client is away. */
  private deliver(e: BufferedEvent): void {
    if (this.loginEvents) {
      this.loginEvents.push(e);
      return;
    }
    if (!this.syncHold.admit(e)) return;
    if (this.state === 'parked') {
      if (!this.buffer?.push(e)) {
        this.log.warn({ limits: this.deps.resume?.buffer }, 'resume buffer overflowed: session dropped');
        this.deps.observer?.resume?.('overflow');
        this.deps.resume?.store.drop(this);
      }
      return;
    }
    if (this.state === 'closed') return;
    if (this.replayQueue) {
      this.replayQueue.push(e);
      return;
    }
    if (e.event === 'OnKickedOffline') {
      if (this.kickedSent) return;
      this.kickedSent = true;
    }
    if (this.emitToClient(e)) {
      this.deps.observer?.event?.(e.event);
      return;
    }
    // Not queued: the client reads too slowly (the transport is closing the socket) or the
    // socket is already closing. Keep this and later events for the client's return.
    if (this.state === 'active' && this.park('client too slow')) this.deliver(e);
  }

  /** Moves an active session to the resume store; false when resume is off (the session ends). */
  private park(reason: string): boolean {
    if (!this.deps.resume?.store.accepting || !this.upstream) return false;
    this.log.info({ reason }, 'session parked for resume');
    const unsent = this.replayQueue ?? [];
    this.replayQueue = undefined;
    this.state = 'parked';
    this.buffer = new EventBuffer(this.deps.resume.buffer);
    this.deps.resume.store.park(this);
    for (const e of unsent) this.deliver(e);
    return true;
  }

  /**
   * Replays missed events at the pace the client reads them: a burst of thousands would
   * trip the outbound bound on the new socket and send the session straight back to parking.
   */
  private pumpReplay(): void {
    const queue = this.replayQueue;
    if (!queue || this.state !== 'active') return;
    while (queue.length > 0 && this.channel.bufferedAmount < this.deps.limits.replayHighWaterBytes) {
      const e = queue.shift()!;
      if (!this.emitToClient(e)) {
        queue.unshift(e);
        this.replayQueue = undefined;
        if (!this.park('client too slow during replay')) return;
        for (const rest of queue) this.deliver(rest);
        return;
      }
    }
    if (queue.length === 0) {
      this.replayQueue = undefined;
      return;
    }
    setTimeout(() => this.pumpReplay(), REPLAY_POLL_MS).unref();
  }

  private flushLoginEvents(keep: (e: BufferedEvent) => boolean): void {
    const events = this.loginEvents ?? [];
    this.loginEvents = undefined;
    for (const e of events) if (keep(e)) this.emitToClient(e);
  }

  /** Every event frame goes out here; a relation change the app already has is not sent again (true: done). */
  private emitToClient(e: BufferedEvent): boolean {
    if (this.relations?.alreadyKnown(e.event, e.data, this.userID)) return true;
    if (!this.channel.emit(e.event, e.data, e.operationID, e.errCode, e.errMsg)) return false;
    this.relations?.told(e.event, e.data, this.userID);
    this.continuity?.written(e.seqs);
    return true;
  }

  /** The app instance's continuity: its cursors read from the state store, its events sent as this session's. */
  private openContinuity(): Promise<Continuity> | undefined {
    const deps = this.deps.continuity;
    if (!deps) return undefined;
    const instance = { userID: this.userID, platformID: this.platformID, loginOperationID: this.params.operationID };
    return Continuity.open(deps, instance, {
      upstream: () => this.upstream,
      deliver: (event, data, operationID, seqs) => this.deliver({ event, data, operationID, errCode: 0, errMsg: '', seqs }),
      unreadMayHaveChanged: (operationID) => this.unread.observe('OnConversationChanged', operationID),
      log: this.log,
    });
  }

  private sendKicked(): void {
    if (this.kickedSent) return;
    this.kickedSent = true;
    this.channel.emit('OnKickedOffline', undefined, this.params.operationID);
  }

  /** Closes the socket and releases upstream now; onClose will find nothing left to do. */
  private end(code: number, reason: string): void {
    this.state = 'closed';
    this.releaseUpstream();
    this.channel.close(code, reason);
  }

  private releaseUpstream(): void {
    if (this.state === 'closed') {
      this.unread.stop();
      this.continuity?.close();
    }
    this.deps.registry.release(this.userID, this.params.platformID, this);
    this.upstream?.dispose();
    this.upstream = undefined;
    this.relations?.close();
    this.relations = undefined;
  }

  private answer(req: JssdkRequest, result: { errCode: number; errMsg: string; data?: unknown }, started?: bigint): void {
    this.observe(req, 0, started);
    this.channel.respond(req.reqFuncName, req.operationID, result);
  }

  private fail(req: JssdkRequest, err: BridgeError, started?: bigint): void {
    this.observe(req, err.errCode, started);
    this.log.warn({ operationID: req.operationID, method: req.reqFuncName, errCode: err.errCode, errMsg: err.message }, 'request failed');
    this.channel.respond(req.reqFuncName, req.operationID, { errCode: err.errCode, errMsg: err.message });
  }

  private observe(req: JssdkRequest, errCode: number, started?: bigint): void {
    const seconds = started === undefined ? 0 : Number(process.hrtime.bigint() - started) / 1e9;
    if (ADAPTERS.has(req.reqFuncName)) this.deps.observer?.request?.(req.reqFuncName, errCode === 0 ? 'ok' : 'error', errCode, seconds);
  }
}

type BufferedReplay = ReturnType<EventBuffer['drain']>;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new BridgeError(ErrorCode.Network, `${what}: upstream did not answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
