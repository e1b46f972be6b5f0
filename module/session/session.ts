/**
 * One client connection, bound to one app instance's feed (feed/feed.ts): requests are
 * dispatched through the adapter table and answered by operationID; the feed's frames are
 * written as the socket drains, each write acknowledged to the feed. A socket lost without
 * Logout parks the feed (it waits in the resume store); a login of the same instance within
 * the grace attaches its socket to that feed again.
 */
import type { Agent, ClientChannel } from '../../gate/agent';
import type { JssdkRequest } from '../../gate/frames';
import type { ConnectParams } from '../../gate/handshake';
import { answerFailedLogin } from '../../gate/loginRefusal';
import { BridgeError, ErrorCode, toBridgeError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { CloseCode } from '../../network/transport';
import type { Adapter, CallContext } from '../../core_func/adapter';
import { ArgError, decodeArgs } from '../../core_func/args';
import { LoginStatus } from '../../core_func/adapters/auth';
import { ADAPTERS } from '../../core_func/table';
import type { LocalStore } from '../../core_func/localStore/localStore';
import { Feed, type FeedDeps, type FeedFrame, type FeedPort } from '../../feed';
import type { SessionRegistry } from './sessionRegistry';

export interface SessionLimits {
  readonly maxInflightRequests: number;
  readonly loginTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** A connection not logged in this long after the upgrade is closed. */
  readonly loginDeadlineMs: number;
  /** A connection that sends nothing at all for this long after the upgrade is closed. */
  readonly idleTimeoutMs: number;
  /** A backlog (a resumed session's missed events) is written while fewer bytes than this wait on the socket. */
  readonly replayHighWaterBytes: number;
  /** Heartbeat interval of the session's upstream connection; absent: the client SDK's own (10 s). */
  readonly upstreamHeartbeatMs?: number;
}

export interface SessionDeps {
  readonly limits: SessionLimits;
  /** What every app instance's feed shares (upstream, continuity, relations, resume store). */
  readonly feed: FeedDeps;
  readonly registry: SessionRegistry<Feed>;
  readonly logger: Logger;
  /** Optional observer (metrics); never required for behaviour. */
  readonly observer?: SessionObserver;
  /** Per-user local data for the local-only jssdk methods. */
  readonly localStore?: LocalStore;
}

export interface SessionObserver {
  request?(method: string, outcome: 'ok' | 'error', errCode: number, seconds: number): void;
  event?(event: string): void;
  login?(outcome: 'ok' | 'error', platformID: number): void;
  resume?(outcome: 'hit' | 'miss' | 'overflow' | 'expired'): void;
}

type State = 'open' | 'loggingIn' | 'active' | 'closed';

/**
 * jssdk events on which the jssdk closes its socket and forgets every pending request: sent
 * before a failed Login's answer they would leave the caller's login() pending forever
 * (gate/loginRefusal.ts sends the one that counts after the answer).
 */
const JSSDK_FORCE_CLOSE_EVENTS = new Set(['OnKickedOffline', 'OnUserTokenExpired']);

export class Session implements Agent, FeedPort {
  private state: State = 'open';
  private feed?: Feed;
  private inflight = 0;
  /** Waiting for the socket to drain before writing more of the feed's backlog. */
  private draining = false;
  /** Set by closeForDrain: the socket closes (1001) once no request or Login is in flight. */
  private drainClose = false;
  private readonly openedAt = Date.now();
  private readonly log: Logger;
  private idleTimer?: NodeJS.Timeout;
  private loginTimer?: NodeJS.Timeout;

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

  /** The Login being decided (state loggingIn). */
  private pendingLogin?: JssdkRequest;

  get userID(): string {
    return this.params.sendID;
  }

  /** Drops the client connection abruptly (tests, operators); the session may be resumed. */
  dropConnection(): void {
    this.channel.terminate();
  }

  /**
   * Drain: closes the socket with 1001 (the jssdk reconnects, to another instance) once no
   * request or Login is in flight, since the jssdk never settles a request whose answer it did
   * not get. The feed is then ended, its cursors committed: the instance the client lands on
   * catches it up.
   */
  closeForDrain(): void {
    this.drainClose = true;
    this.closeIfDrained();
  }

  private closeIfDrained(): void {
    if (this.drainClose && this.inflight === 0 && (this.state === 'open' || this.state === 'active')) this.channel.close(CloseCode.GoingAway, 'server draining');
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
    this.state = 'closed';
    if (wasActive) this.park('connection closed');
    else this.feed?.end();
    this.feed = undefined;
  }

  // FeedPort: how the feed reaches this socket.

  get bufferedAmount(): number {
    return this.channel.bufferedAmount;
  }

  write(f: FeedFrame): boolean {
    if (this.state !== 'active') return false;
    if (this.channel.emit(f.event, f.data, f.operationID, f.errCode, f.errMsg, f.encodings)) {
      this.deps.observer?.event?.(f.event);
      return true;
    }
    // Not queued: the client reads too slowly (the transport is closing the socket) or the
    // socket is already closing. The feed keeps this frame and later ones for the client's return.
    this.park('client too slow');
    return false;
  }

  /**
   * Writes the feed's backlog at the pace the client reads it: a burst of thousands would trip
   * the outbound bound on the socket and send the session straight back to parking.
   */
  pending(): void {
    const feed = this.feed;
    if (!feed || this.draining) return;
    for (let f = feed.next(); f && this.state === 'active'; f = feed.next()) {
      if (this.channel.bufferedAmount >= this.deps.limits.replayHighWaterBytes) {
        this.draining = true;
        this.channel.whenDrained(() => {
          this.draining = false;
          this.pending();
        });
        return;
      }
      if (!this.write(f)) return;
      feed.written(f);
    }
  }

  ended(event: string): void {
    this.end(CloseCode.Normal, event);
  }

  kickedOff(reason: string): void {
    if (this.feed?.claimKick()) this.channel.emit('OnKickedOffline', undefined, this.params.operationID);
    this.end(CloseCode.Normal, reason);
  }

  overflowed(): void {
    this.end(CloseCode.PolicyViolation, 'outbound queue full: client reads too slowly');
  }

  private async run(adapter: Adapter, req: JssdkRequest, args: unknown[]): Promise<void> {
    this.inflight++;
    const started = process.hrtime.bigint();
    const ctx: CallContext = {
      operationID: req.operationID,
      userID: this.userID,
      platformID: this.params.platformID,
      loginStatus: this.loginStatus(),
      upstream: this.feed?.upstream,
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
    const parked = this.deps.feed.resume?.take(userID, this.params.platformID, token);
    if (parked) return this.resume(req, parked, started);
    if (this.deps.feed.resume) this.deps.observer?.resume?.('miss');
    this.state = 'loggingIn';
    this.pendingLogin = req;
    const feed = new Feed(this.deps.feed, { userID, token, platformID: this.params.platformID, loginOperationID: this.params.operationID }, this.log);
    this.feed = feed;
    try {
      await feed.login(req.operationID, this.deps.limits.loginDeadlineMs - (Date.now() - this.openedAt));
    } catch (err) {
      this.loginFailed(req, toBridgeError(err), started);
      return;
    }
    if (this.state !== 'loggingIn') return; // the client went away while we were logging in (the feed is ended)
    this.pendingLogin = undefined;
    this.activate(feed);
    this.deps.observer?.login?.('ok', this.params.platformID);
    this.log.info({ operationID: req.operationID }, 'logged in');
    this.answer(req, { errCode: 0, errMsg: '', data: undefined }, started);
    feed.begin(req.operationID);
    this.closeIfDrained();
  }

  /** Takes over a parked feed of the same user, platform and token: its upstream and every frame it kept. */
  private resume(req: JssdkRequest, feed: Feed, started: bigint): void {
    feed.resumed();
    this.feed = feed;
    this.deps.observer?.resume?.('hit');
    this.log.info({ operationID: req.operationID, replayed: feed.bufferedBytes }, 'resumed parked session');
    this.answer(req, { errCode: 0, errMsg: '', data: undefined }, started);
    this.activate(feed);
  }

  /** The socket carries the feed from now on; frames queued meanwhile go out as it drains. */
  private activate(feed: Feed): void {
    this.state = 'active';
    this.clearTimers();
    this.deps.registry.claim(this.userID, this.params.platformID, feed);
    feed.attach(this);
  }

  /**
   * A Login that reached the bridge and failed (refused upstream, timed out, deadline passed):
   * the events held meanwhile go out, then the answer and what lets the jssdk log in again on
   * the same object (gate/loginRefusal.ts); the socket closes and nothing upstream is left.
   */
  private loginFailed(req: JssdkRequest, err: BridgeError, started?: bigint): void {
    // Once per Login: the deadline may have answered it before the feed's login gave up.
    if (this.pendingLogin !== req) return;
    this.pendingLogin = undefined;
    this.deps.observer?.login?.('error', this.params.platformID);
    const frames = this.feed?.failed() ?? [];
    this.feed = undefined;
    if (this.state !== 'loggingIn') return;
    this.observe(req, err.errCode, started);
    this.log.warn({ operationID: req.operationID, errCode: err.errCode, errMsg: err.message }, 'login failed');
    for (const f of frames) {
      if (!JSSDK_FORCE_CLOSE_EVENTS.has(f.event) && f.event !== 'OnConnectFailed') this.channel.emit(f.event, f.data, f.operationID, f.errCode, f.errMsg);
    }
    this.state = 'closed';
    this.clearTimers();
    answerFailedLogin(this.channel, req, { errCode: err.errCode, errMsg: err.message });
  }


  private logout(req: JssdkRequest): void {
    if (this.state !== 'active') {
      this.fail(req, new BridgeError(ErrorCode.NotLoggedIn, 'Logout needs a logged-in session'));
      return;
    }
    this.feed?.end();
    this.feed = undefined;
    this.state = 'closed';
    this.answer(req, { errCode: 0, errMsg: '', data: undefined });
    this.log.info({ operationID: req.operationID }, 'logged out');
    this.channel.close(CloseCode.Normal, 'logout');
  }

  /** Detaches the socket from the feed, which waits for the client's return (or ends when it cannot). */
  private park(reason: string): void {
    const feed = this.feed;
    this.feed = undefined;
    this.state = 'closed';
    if (feed?.park()) this.log.info({ reason }, 'session parked for resume');
  }

  private expire(reason: string): void {
    if (this.state !== 'open' && this.state !== 'loggingIn') return;
    if (this.pendingLogin) return this.loginFailed(this.pendingLogin, new BridgeError(ErrorCode.Network, reason));
    this.log.info({ reason }, 'closing connection that never logged in');
    this.state = 'closed';
    this.clearTimers();
    this.feed?.end();
    this.feed = undefined;
    this.channel.close(CloseCode.PolicyViolation, reason);
  }

  private clearTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.loginTimer);
    this.idleTimer = this.loginTimer = undefined;
  }

  /** Closes the socket and ends the feed now; onClose will find nothing left to do. */
  private end(code: number, reason: string): void {
    this.state = 'closed';
    this.feed?.end();
    this.feed = undefined;
    this.channel.close(code, reason);
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
