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
import { EVENT_RELAYS } from '../core_func/events';
import { ADAPTERS } from '../core_func/table';
import type { SdkEvent } from '../core_func/upstream/clientSdk';
import { UpstreamSession, type UpstreamTarget } from '../core_func/upstream/upstreamSession';
import type { Replaceable, SessionRegistry } from './sessionRegistry';

export interface SessionLimits {
  readonly maxInflightRequests: number;
  readonly loginTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

export interface SessionDeps {
  readonly upstream: UpstreamTarget;
  readonly limits: SessionLimits;
  readonly registry: SessionRegistry<Session>;
  readonly logger: Logger;
  /** Optional observer (metrics); never required for behaviour. */
  readonly observer?: SessionObserver;
}

export interface SessionObserver {
  request?(method: string, outcome: 'ok' | 'error', errCode: number, seconds: number): void;
  event?(event: string): void;
  login?(outcome: 'ok' | 'error', platformID: number): void;
}

type State = 'open' | 'loggingIn' | 'active' | 'closed';

/** Upstream events after which the upstream session is gone for good. */
const TERMINAL_EVENTS = new Set(['OnKickedOffline', 'OnUserTokenExpired', 'OnUserTokenInvalid']);

export class Session implements Agent, Replaceable {
  private state: State = 'open';
  private upstream?: UpstreamSession;
  private inflight = 0;
  private kickedSent = false;
  private readonly log: Logger;

  constructor(
    readonly params: ConnectParams,
    private readonly channel: ClientChannel,
    private readonly deps: SessionDeps,
  ) {
    this.log = deps.logger.child({ userID: params.sendID, platformID: params.platformID });
    this.log.info({ operationID: params.operationID, remote: params.remoteAddress }, 'connection opened');
  }

  get userID(): string {
    return this.params.sendID;
  }

  get isActive(): boolean {
    return this.state === 'active';
  }

  onRequest(req: JssdkRequest): void {
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
    const wasActive = this.state === 'active';
    this.state = 'closed';
    this.releaseUpstream();
    this.log.info({ code, reason, wasActive }, 'connection closed');
  }

  replacedByNewLogin(): void {
    this.log.info('replaced by a newer login of the same user and platform');
    this.sendKicked();
    this.end(CloseCode.Normal, 'replaced by a new login');
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
    };
    try {
      const data = await withTimeout(adapter.run(ctx, args), this.deps.limits.requestTimeoutMs, req.reqFuncName);
      this.answer(req, { errCode: 0, errMsg: '', data }, started);
    } catch (err) {
      this.fail(req, toBridgeError(err), started);
    } finally {
      this.inflight--;
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
    this.state = 'loggingIn';
    const started = process.hrtime.bigint();
    try {
      const upstream = await UpstreamSession.open(
        this.deps.upstream,
        { userID, token, platformID: this.params.platformID, operationID: req.operationID, timeoutMs: this.deps.limits.loginTimeoutMs },
        (e) => this.relay(e),
      );
      if (this.state !== 'loggingIn') {
        upstream.dispose(); // the client went away while we were logging in
        return;
      }
      this.upstream = upstream;
      this.state = 'active';
      this.deps.registry.claim(this.userID, this.params.platformID, this);
      this.deps.observer?.login?.('ok', this.params.platformID);
      this.log.info({ operationID: req.operationID }, 'logged in');
      this.answer(req, { errCode: 0, errMsg: '', data: undefined }, started);
    } catch (err) {
      const e = toBridgeError(err);
      this.deps.observer?.login?.('error', this.params.platformID);
      if (this.state !== 'loggingIn') return;
      this.state = 'open';
      this.fail(req, e, started);
      this.end(CloseCode.Normal, 'login failed');
    }
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

  private relay(e: SdkEvent): void {
    const relay = EVENT_RELAYS.get(e.event);
    if (relay && this.state !== 'closed') {
      if (relay.event === 'OnKickedOffline') {
        if (this.kickedSent) return;
        this.kickedSent = true;
      }
      this.channel.emit(relay.event, relay.convert(e.data), e.operationID, e.errCode, e.errMsg);
      this.deps.observer?.event?.(relay.event);
    }
    if (TERMINAL_EVENTS.has(e.event) && this.state === 'active') {
      this.log.info({ event: e.event }, 'upstream session ended');
      this.end(CloseCode.Normal, e.event);
    }
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
    this.deps.registry.release(this.userID, this.params.platformID, this);
    this.upstream?.dispose();
    this.upstream = undefined;
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
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BridgeError(ErrorCode.Network, `${what}: upstream did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
