/**
 * A small typed client of the bridge for backend bots and native apps: WebSocket or TCP,
 * JSON or msgpack, `call(method, ...args)`, `on(event, handler)`, and reconnect with
 * session resume (the bridge replays what happened while the connection was down).
 */
import { randomUUID } from 'node:crypto';
import { decodeFrame, encodeRequest, type ClientCodec, type FrameIn } from './codec';
import { openWire, type Wire } from './wire';

export interface BridgeClientOptions {
  /** ws://host:10003, wss://…, tcp://host:port or tls://host:port. */
  readonly address: string;
  readonly userID: string;
  readonly token: string;
  /** OpenIM platform ID (default 5, web). */
  readonly platformID?: number;
  /** Default: msgpack over TCP, JSON over WebSocket. */
  readonly codec?: ClientCodec;
  /** Reconnect after an unexpected close: wait `delayMs` between attempts, give up after `maxAttempts`. */
  readonly reconnect?: { readonly delayMs?: number; readonly maxAttempts?: number } | false;
  /** A call not answered within this time is rejected (default 30 s). */
  readonly requestTimeoutMs?: number;
}

export type ClientState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export class BridgeCallError extends Error {
  constructor(
    readonly event: string,
    readonly errCode: number,
    readonly errMsg: string,
    readonly operationID: string,
  ) {
    super(`${event}: errCode ${errCode} ${errMsg}`);
    this.name = 'BridgeCallError';
  }
}

/** Errors the client itself reports, with the jssdk's codes. */
export const ClientErrorCode = { ConnectionLost: 10002, Timeout: 10002 } as const;

/** Events after which the bridge has ended the session for good: no reconnect. */
const FINAL_EVENTS = new Set(['OnKickedOffline', 'OnUserTokenExpired']);
const PROTOCOL_ERROR_EVENT = 'Protocol Error';

type Handler = (data: unknown, frame: FrameIn) => void;
interface Pending {
  readonly method: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
  readonly timer: NodeJS.Timeout;
}

export class BridgeClient {
  private wire?: Wire;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly pending = new Map<string, Pending>();
  private stateValue: ClientState = 'connecting';
  private readonly codec: ClientCodec;
  private counter = 0;
  private cancelReconnectWait?: () => void;

  private constructor(private readonly options: BridgeClientOptions) {
    this.codec = options.codec ?? (/^(tcp|tls):/.test(options.address) ? 'msgpack' : 'json');
  }

  /** Connects and logs in; resolves once the bridge answered Login. */
  static async connect(options: BridgeClientOptions): Promise<BridgeClient> {
    const client = new BridgeClient(options);
    await client.open();
    return client;
  }

  get state(): ClientState {
    return this.stateValue;
  }

  /** Calls a jssdk method by name with its arguments (objects as objects; no double JSON encoding needed). */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    if (this.stateValue !== 'open' || !this.wire) return Promise.reject(new BridgeCallError(method, ClientErrorCode.ConnectionLost, `not connected (${this.stateValue})`, ''));
    return this.request<T>(this.wire, method, args);
  }

  /** Subscribes to an event (OnRecvNewMessages, OnKickedOffline, …); returns the unsubscribe function. */
  on(event: string, handler: Handler): () => void {
    const set = this.handlers.get(event) ?? new Set<Handler>();
    set.add(handler);
    this.handlers.set(event, set);
    return () => set.delete(handler);
  }

  /** Logs out (the bridge ends the session upstream) and closes. */
  async logout(): Promise<void> {
    try {
      await this.call('Logout');
    } finally {
      this.close();
    }
  }

  /** Closes without logging out: the bridge keeps the session for its resume grace period. */
  close(): void {
    this.stateValue = 'closed';
    this.cancelReconnectWait?.();
    this.wire?.close(1000, 'client closed');
    this.failPending('client closed');
  }

  /** Drops the connection abruptly, as a network failure would (tests). */
  dropConnection(): void {
    this.wire?.terminate();
  }

  private nextOperationID(): string {
    return `${randomUUID()}-${++this.counter}`;
  }

  private request<T>(wire: Wire, method: string, args: unknown[]): Promise<T> {
    const operationID = this.nextOperationID();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(operationID);
        reject(new BridgeCallError(method, ClientErrorCode.Timeout, `no answer within ${this.options.requestTimeoutMs ?? 30_000} ms`, operationID));
      }, this.options.requestTimeoutMs ?? 30_000);
      this.pending.set(operationID, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      wire.send(encodeRequest(this.codec, { reqFuncName: method, operationID, userID: this.options.userID, args }));
    });
  }

  private async open(): Promise<void> {
    const wire = await openWire(this.options.address, {
      sendID: this.options.userID,
      token: this.options.token,
      platformID: this.options.platformID ?? 5,
      operationID: this.nextOperationID(),
      codec: this.codec,
    });
    this.wire = wire;
    wire.onFrame((bytes) => this.onFrame(bytes));
    wire.onClose((code, reason) => this.onClose(wire, code, reason));
    try {
      await this.request(wire, 'Login', [this.options.userID, this.options.token]);
    } catch (err) {
      this.stateValue = 'closed';
      wire.close();
      throw err;
    }
    this.stateValue = 'open';
  }

  private onFrame(bytes: Buffer | string): void {
    const frame = decodeFrame(this.codec, bytes);
    if (!frame) return;
    const p = frame.operationID ? this.pending.get(frame.operationID) : undefined;
    if (p && (frame.event === p.method || frame.event === PROTOCOL_ERROR_EVENT)) {
      this.pending.delete(frame.operationID);
      clearTimeout(p.timer);
      if (frame.errCode === 0) p.resolve(frame.data);
      else p.reject(new BridgeCallError(frame.event, frame.errCode, frame.errMsg, frame.operationID));
      return;
    }
    if (FINAL_EVENTS.has(frame.event)) this.stateValue = 'closed';
    for (const h of this.handlers.get(frame.event) ?? []) h(frame.data, frame);
  }

  private onClose(wire: Wire, code: number, reason: string): void {
    if (wire !== this.wire) return;
    this.failPending(`connection closed (${code} ${reason})`);
    if (this.stateValue !== 'open' || this.options.reconnect === false) {
      this.stateValue = 'closed';
      return;
    }
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    const { delayMs = 1_000, maxAttempts = 10 } = this.options.reconnect || {};
    this.stateValue = 'reconnecting';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      // close() ends the wait at once: a closed client must not hold the process open.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, delayMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.cancelReconnectWait = done;
      });
      this.cancelReconnectWait = undefined;
      if (this.stateValue !== 'reconnecting') return;
      try {
        await this.open();
        for (const h of this.handlers.get('reconnected') ?? []) h(attempt, { event: 'reconnected', errCode: 0, errMsg: '', data: attempt, operationID: '' });
        return;
      } catch {
        this.stateValue = 'reconnecting';
      }
    }
    this.stateValue = 'closed';
  }

  private failPending(why: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new BridgeCallError(p.method, ClientErrorCode.ConnectionLost, why, id));
    }
    this.pending.clear();
  }
}
