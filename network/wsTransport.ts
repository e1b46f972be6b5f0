/**
 * WebSocket transport on `ws`, attached to the shared HTTP server. Refuses upgrades at the
 * HTTP level (so browser clients fail fast), bounds frame size, connection count and
 * queued outbound bytes, and keeps connections honest with server pings.
 */
import type http from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { CloseCode, type Connection, type ConnectionAcceptor, type ConnectionHandler, type TransportLimits } from './transport';
import type { HttpServer } from './httpServer';
import { WRITE_AT_ONCE, type WriteCoalescer } from './writeCoalescer';
import { refuseUpgrade } from './httpServer';
import { ConnectionSet } from './connectionSet';

/** Frames up to this many times the limit are read and reported as too large; beyond, ws closes with 1009. */
export const OVERSIZE_READ_FACTOR = 2;
/** How much of an oversized frame the layer above gets to see (enough to find its request id). */
export const OVERSIZE_HEAD_BYTES = 4096;

/** Where a request really comes from: the socket's peer, or — behind a trusted proxy — the last X-Forwarded-For hop. */
export function clientAddress(req: http.IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  const peer = req.socket.remoteAddress ?? '';
  if (!trustedProxies.has(peer)) return peer;
  const xff = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').map((h) => h.trim()).filter(Boolean);
  return hops.at(-1) ?? peer;
}

export interface WsTransportEvents {
  /** An upgrade refused before a connection existed; `reason` is a short machine-readable word. */
  onRefused?(status: number, reason: string): void;
}

export interface WsTransportOptions {
  /** Subprotocols the server agrees to when a client offers them (first offered wins). */
  readonly subprotocols?: readonly string[];
  /** Proxy addresses whose X-Forwarded-For names the client. */
  readonly trustedProxies?: ReadonlySet<string>;
  /** Batches each connection's writes per event-loop turn; absent: every frame is written at once. */
  readonly coalescer?: WriteCoalescer;
}

let nextConnectionId = 1;

class WsConnection implements Connection {
  readonly id = nextConnectionId++;
  lastSeen = Date.now();
  handler?: ConnectionHandler;
  /** The kind of the peer's first frame; text goes out as binary frames to a peer that spoke binary. */
  private peerSpeaks?: 'text' | 'binary';

  constructor(
    readonly socket: WebSocket,
    readonly remoteAddress: string,
    private readonly maxOutboundBytes: number,
    /** The TCP socket under `socket`, when it is one (TLS sockets are too). */
    private readonly rawSocket: Socket | undefined,
    private readonly coalescer: WriteCoalescer,
  ) {}

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  send(data: string | Buffer): boolean {
    if (!this.isOpen) return false;
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (this.socket.bufferedAmount + size > this.maxOutboundBytes) {
      this.close(CloseCode.PolicyViolation, 'outbound buffer full: client reads too slowly');
      return false;
    }
    this.coalescer.hold(this.rawSocket);
    this.socket.send(data, { binary: typeof data !== 'string' || this.peerSpeaks === 'binary' });
    return true;
  }

  whenDrained(listener: () => void): void {
    if (this.socket.bufferedAmount === 0 || !this.rawSocket) setImmediate(listener);
    else this.rawSocket.once('drain', listener);
  }

  /** Called for every inbound frame; the first one decides the kind the peer speaks. */
  heard(isBinary: boolean): void {
    this.lastSeen = Date.now();
    this.peerSpeaks ??= isBinary ? 'binary' : 'text';
  }

  terminate(): void {
    this.socket.terminate();
  }

  /**
   * Queues a close frame behind whatever is still buffered, so a slow client that reads on
   * gets every frame before the close; `ws` drops a peer that has not answered within 30 s.
   */
  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason);
  }
}

export class WsTransport<C> {
  private readonly wss: WebSocketServer;
  private readonly connections = new ConnectionSet<WsConnection>();
  private sweepTimer?: NodeJS.Timeout;
  private accepting = true;

  constructor(
    private readonly http: HttpServer,
    private readonly acceptor: ConnectionAcceptor<C>,
    private readonly limits: TransportLimits,
    private readonly events: WsTransportEvents = {},
    private readonly options: WsTransportOptions = {},
  ) {
    const accepted = new Set(options.subprotocols ?? []);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxFrameBytes * OVERSIZE_READ_FACTOR,
      perMessageDeflate: false,
      handleProtocols: (offered) => [...offered].find((p) => accepted.has(p)) ?? false,
    });
    http.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.sweepTimer = setInterval(() => this.sweep(), limits.pingIntervalMs);
    this.sweepTimer.unref();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting upgrades; existing connections stay until closed. */
  stopAccepting(): void {
    this.accepting = false;
  }

  closeAll(code: number, reason: string): void {
    for (const c of this.connections) c.close(code, reason);
  }

  /**
   * Stops accepting, asks every client to go (1001, so jssdk clients reconnect elsewhere),
   * waits up to `graceMs` for the close handshakes, then drops whatever is left.
   */
  async close(graceMs = 0): Promise<void> {
    this.stopAccepting();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (graceMs > 0 && this.connections.size > 0) {
      this.closeAll(CloseCode.GoingAway, 'server shutting down');
      await this.connections.emptied(graceMs);
    }
    for (const c of this.connections) c.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private refuse(socket: Duplex, status: number, reason: string): void {
    this.events.onRefused?.(status, reason);
    refuseUpgrade(socket, status, reason);
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (!this.accepting) return this.refuse(socket, 503, 'shutting down');
    if (this.connections.size >= this.limits.maxConnections) return this.refuse(socket, 503, 'too many connections');
    const remoteAddress = clientAddress(req, this.options.trustedProxies ?? new Set());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return this.refuse(socket, 400, 'bad request url');
    }
    const decision = this.acceptor.authorize({ url, headers: req.headers, remoteAddress });
    if (!decision.accept) return this.refuse(socket, decision.status, decision.reason);
    const raw = socket instanceof Socket ? socket : undefined;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, remoteAddress, raw, decision.context));
  }

  private attach(ws: WebSocket, remoteAddress: string, raw: Socket | undefined, context: C): void {
    const conn = new WsConnection(ws, remoteAddress, this.limits.maxOutboundBytes, raw, this.options.coalescer ?? WRITE_AT_ONCE);
    this.connections.add(conn);
    ws.on('pong', () => (conn.lastSeen = Date.now()));
    ws.on('error', () => ws.terminate());
    let handler: ConnectionHandler;
    try {
      handler = this.acceptor.open(conn, context);
    } catch {
      this.connections.delete(conn);
      ws.terminate();
      return;
    }
    conn.handler = handler;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      conn.heard(isBinary);
      const buf = toBuffer(data);
      const tooLarge = buf.length > this.limits.maxFrameBytes;
      handler.onFrame({ data: tooLarge ? buf.subarray(0, OVERSIZE_HEAD_BYTES) : buf, isBinary, tooLarge, size: buf.length });
    });
    ws.once('close', (code: number, reason: Buffer) => {
      this.connections.delete(conn);
      handler.onClose(code, reason.toString());
    });
  }

  private sweep(): void {
    const deadline = Date.now() - this.limits.pongTimeoutMs;
    for (const c of this.connections) {
      if (c.lastSeen < deadline) {
        c.socket.terminate();
        continue;
      }
      if (c.isOpen) c.socket.ping();
    }
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}
