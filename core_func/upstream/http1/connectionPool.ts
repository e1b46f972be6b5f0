/**
 * Keep-alive HTTP/1.1 connections to one origin over plain `net` sockets: one request in
 * flight per socket (no pipelining), at most `maxSockets` open, further requests queued in
 * order. A socket goes back to the pool only after a complete reply that allows reuse, and
 * leaves it as soon as the server closes it or it has idled for as long as the server (its
 * Keep-Alive hint) or we allow. Idle sockets never keep the process alive.
 */
import net from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { ReplyParser } from './replyParser';

/** How long a socket may idle in the pool: under the idle limits of nginx (75 s) and of AWS load balancers (60 s). */
export const IDLE_LIMIT_MS = 55_000;
/** A socket is not reused later than this before the idle time the server announced. */
const HINT_MARGIN_MS = 1_000;

/** A reply read in full. */
export interface Http1Reply {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request: its encoded bytes and its settlement. */
class Call {
  conn: Connection | undefined;
  settled = false;
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly request: Buffer,
    private readonly onReply: (r: Http1Reply) => void,
    private readonly onFail: (err: Error) => void,
  ) {}

  resolve(reply: Http1Reply): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.onReply(reply);
  }

  /** Fails the call as fetch does when nothing (usable) answers. */
  fail(cause: Error): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.onFail(new TypeError('fetch failed', { cause }));
  }
}

function onCallTimeout(call: Call, timeoutMs: number): void {
  const err = new Error(`upstream did not answer within ${timeoutMs} ms`);
  call.conn?.abandon(err);
  call.fail(err);
}

class Connection {
  readonly socket: net.Socket;
  private call: Call | undefined;
  private parser: ReplyParser | undefined;
  private error: Error | undefined;
  private idleSince = 0;
  private idleLimitMs = IDLE_LIMIT_MS;

  constructor(private readonly pool: OriginPool) {
    this.socket = net.connect({ host: pool.host, port: pool.port });
    this.socket.setNoDelay(true);
    this.socket.on('data', this.onData);
    this.socket.on('end', this.onEnd);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
  }

  /** Writes the request (a new socket buffers it until connected). */
  send(call: Call): void {
    if (this.idleSince !== 0) {
      this.idleSince = 0;
      this.socket.ref();
    }
    this.call = call;
    call.conn = this;
    this.parser = new ReplyParser();
    this.socket.write(call.request);
  }

  /** Still open and within the idle time the server allows. */
  usable(now: number): boolean {
    return !this.socket.destroyed && this.socket.writable && now - this.idleSince < this.idleLimitMs;
  }

  expiresAt(): number {
    return this.idleSince + this.idleLimitMs;
  }

  /** Drops the connection with its call unanswered (the call fails on its own). */
  abandon(err: Error): void {
    this.call = undefined;
    this.socket.destroy(err);
  }

  private readonly onData = (chunk: Buffer): void => {
    const parser = this.parser;
    if (!this.call || !parser) {
      this.socket.destroy(new Error('upstream sent bytes while no request was in flight'));
      return;
    }
    let done: boolean;
    try {
      done = parser.push(chunk);
    } catch (err) {
      this.socket.destroy(err as Error);
      return;
    }
    if (done) this.complete(parser);
  };

  private complete(parser: ReplyParser): void {
    const call = this.call!;
    this.call = undefined;
    this.parser = undefined;
    call.conn = undefined;
    call.resolve({ status: parser.status, statusText: parser.statusText, headers: parser.headers, body: parser.body() });
    const hint = parser.serverIdleMs;
    if (hint !== undefined) this.idleLimitMs = Math.min(IDLE_LIMIT_MS, hint - HINT_MARGIN_MS);
    if (!parser.reusable || this.idleLimitMs <= 0 || this.socket.destroyed) this.socket.destroy();
    else this.pool.released(this);
  }

  /** Parks the socket in the pool; it no longer holds the process open. */
  park(): void {
    this.idleSince = Date.now();
    this.socket.unref();
  }

  private readonly onEnd = (): void => {
    if (this.call && this.parser?.end()) this.complete(this.parser);
  };

  private readonly onError = (err: Error): void => {
    this.error ??= err;
  };

  private readonly onClose = (): void => {
    const call = this.call;
    this.call = undefined;
    if (call) {
      const started = this.parser?.started;
      call.fail(this.error ?? Object.assign(new Error(started ? 'upstream closed the connection mid-reply' : 'upstream closed the connection before replying'), { code: 'ECONNRESET' }));
    }
    this.pool.closed(this);
  };
}

/** The connections to one host:port. */
export class OriginPool {
  private readonly idle: Connection[] = [];
  private readonly queue: Call[] = [];
  private open = 0;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly maxSockets: number,
  ) {}

  request(request: Buffer, timeoutMs: number): Promise<Http1Reply> {
    return new Promise((resolve, reject) => {
      const call = new Call(request, resolve, reject);
      call.timer = setTimeout(onCallTimeout, timeoutMs, call, timeoutMs).unref();
      this.dispatch(call);
    });
  }

  /** Sockets open (connecting, busy or idle) and idle. */
  sockets(): { open: number; idle: number } {
    return { open: this.open, idle: this.idle.length };
  }

  /** Closes the idle sockets (tests, shutdown); busy ones close after their reply. */
  closeIdle(): void {
    for (const conn of this.idle.splice(0)) conn.socket.destroy();
  }

  private dispatch(call: Call): void {
    const conn = this.takeIdle();
    if (conn) conn.send(call);
    else if (this.open < this.maxSockets) this.connect(call);
    else this.queue.push(call);
  }

  private connect(call: Call): void {
    this.open++;
    new Connection(this).send(call);
  }

  /** The most recently parked usable socket (the rest idle out); stale ones are closed on the way. */
  private takeIdle(): Connection | undefined {
    if (this.idle.length === 0) return undefined;
    const now = Date.now();
    for (let conn = this.idle.pop(); conn; conn = this.idle.pop()) {
      if (conn.usable(now)) return conn;
      conn.socket.destroy();
    }
    return undefined;
  }

  private nextQueued(): Call | undefined {
    for (let call = this.queue.shift(); call; call = this.queue.shift()) if (!call.settled) return call;
    return undefined;
  }

  /** A reply completed and the socket may carry another request. */
  released(conn: Connection): void {
    const next = this.nextQueued();
    if (next) return conn.send(next);
    conn.park();
    this.idle.push(conn);
    this.sweepTimer ??= setTimeout(this.sweep, Math.max(0, conn.expiresAt() - Date.now())).unref();
  }

  closed(conn: Connection): void {
    this.open--;
    const at = this.idle.indexOf(conn);
    if (at >= 0) this.idle.splice(at, 1);
    const next = this.nextQueued();
    if (next) this.connect(next);
  }

  /** Closes the sockets past their idle time; runs again at the next expiry. */
  private readonly sweep = (): void => {
    this.sweepTimer = undefined;
    const now = Date.now();
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const conn = this.idle[i];
      if (conn.usable(now)) continue;
      this.idle.splice(i, 1);
      conn.socket.destroy();
    }
    if (this.idle.length === 0) return;
    const next = Math.min(...this.idle.map((c) => c.expiresAt()));
    this.sweepTimer = setTimeout(this.sweep, Math.max(0, next - now)).unref();
  };
}
