/**
 * TCP (optionally TLS) transport: the same connections, limits and acceptor as WebSocket,
 * for native apps and bots. A handshake line carries what the WebSocket URL query carries;
 * the server answers `OK` or `ERR <status> <reason>`, then both sides exchange frames.
 */
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { CloseCode, type Connection, type ConnectionAcceptor, type ConnectionHandler, type TransportLimits } from './transport';
import { decodeClose, encodeClose, encodeFrame, FrameKind, FrameReader, LineReader } from './tcpFraming';
import { WRITE_AT_ONCE, type WriteCoalescer } from './writeCoalescer';
import { ConnectionSet } from './connectionSet';

/** A client that has not sent its handshake line by then is dropped. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface TcpTransportOptions {
  readonly host: string;
  readonly port: number;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly onRefused?: (status: number, reason: string) => void;
  /** Batches each connection's writes per event-loop turn; absent: every frame is written at once. */
  readonly coalescer?: WriteCoalescer;
}

let nextId = 1_000_000_000;

class TcpConnection implements Connection {
  readonly id = nextId++;
  lastSeen = Date.now();
  /** Who closed first and why; reported to the handler when the socket is gone. */
  closeInfo = { code: 1006 as number, reason: '' };
  private ended = false;

  constructor(
    readonly socket: net.Socket,
    readonly remoteAddress: string,
    private readonly maxOutboundBytes: number,
    private readonly coalescer: WriteCoalescer,
  ) {}

  get isOpen(): boolean {
    return !this.ended && !this.socket.destroyed;
  }

  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  send(data: string | Buffer): boolean {
    if (!this.isOpen) return false;
    const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.socket.writableLength + payload.length > this.maxOutboundBytes) {
      this.close(CloseCode.PolicyViolation, 'outbound buffer full: client reads too slowly');
      return false;
    }
    this.coalescer.hold(this.socket);
    this.socket.write(encodeFrame(FrameKind.Message, payload));
    return true;
  }

  sendControl(kind: typeof FrameKind.Ping | typeof FrameKind.Pong): void {
    if (this.isOpen) this.socket.write(encodeFrame(kind));
  }

  close(code: number, reason: string): void {
    if (!this.isOpen) return;
    this.ended = true;
    this.closeInfo = { code, reason };
    this.socket.end(encodeClose(code, reason));
  }

  terminate(): void {
    this.ended = true;
    this.socket.destroy();
  }

  whenDrained(listener: () => void): void {
    if (this.socket.writableLength === 0) setImmediate(listener);
    else this.socket.once('drain', listener);
  }
}

export class TcpTransport<C> {
  private readonly server: net.Server;
  private readonly connections = new ConnectionSet<TcpConnection>();
  private readonly pending = new Set<net.Socket>();
  private sweepTimer?: NodeJS.Timeout;
  private accepting = true;

  constructor(
    private readonly acceptor: ConnectionAcceptor<C>,
    private readonly limits: TransportLimits,
    private readonly options: TcpTransportOptions,
  ) {
    const onSocket = (socket: net.Socket) => this.handshake(socket);
    this.server =
      options.tlsCert && options.tlsKey ? tls.createServer({ cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) }, onSocket) : net.createServer(onSocket);
    this.sweepTimer = setInterval(() => this.sweep(), limits.pingIntervalMs);
    this.sweepTimer.unref();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  /** Stops accepting handshakes; existing connections stay until closed. */
  stopAccepting(): void {
    this.accepting = false;
  }

  async close(graceMs = 0): Promise<void> {
    this.accepting = false;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const c of this.connections) c.close(CloseCode.GoingAway, 'server shutting down');
    await this.connections.emptied(graceMs);
    for (const c of this.connections) c.terminate();
    for (const s of this.pending) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Serves a connection accepted by another process; `bytes` are what it already read (the handshake line, maybe more). */
  adopt(socket: net.Socket, bytes: Buffer): void {
    this.handshake(socket);
    if (bytes.length > 0) socket.emit('data', bytes);
    socket.resume();
  }

  private refuse(socket: net.Socket, status: number, reason: string): void {
    this.options.onRefused?.(status, reason);
    socket.end(`ERR ${status} ${reason}\n`);
  }

  private handshake(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    if (!this.accepting) return this.refuse(socket, 503, 'shutting down');
    if (this.connections.size + this.pending.size >= this.limits.maxConnections) return this.refuse(socket, 503, 'too many connections');
    this.pending.add(socket);
    const timer = setTimeout(() => this.refuse(socket, 408, 'no handshake line'), HANDSHAKE_TIMEOUT_MS);
    timer.unref();
    const lines = new LineReader();
    const onData = (chunk: Buffer) => {
      const r = lines.push(chunk);
      if (!r.error && r.line === undefined) return;
      socket.off('data', onData);
      clearTimeout(timer);
      this.pending.delete(socket);
      if (r.error) return this.refuse(socket, 400, r.error);
      this.admit(socket, r.line!, r.rest ?? Buffer.alloc(0));
    };
    socket.on('data', onData);
    socket.once('close', () => {
      clearTimeout(timer);
      this.pending.delete(socket);
    });
  }

  private admit(socket: net.Socket, line: string, rest: Buffer): void {
    let url: URL;
    try {
      url = new URL(`tcp://bridge/?${line.replace(/^\/?\?/, '')}`);
    } catch {
      return this.refuse(socket, 400, 'bad handshake line');
    }
    const remoteAddress = socket.remoteAddress ?? '';
    const decision = this.acceptor.authorize({ url, headers: {}, remoteAddress });
    if (!decision.accept) return this.refuse(socket, decision.status, decision.reason);
    socket.write('OK\n');
    const conn = new TcpConnection(socket, remoteAddress, this.limits.maxOutboundBytes, this.options.coalescer ?? WRITE_AT_ONCE);
    this.connections.add(conn);
    let handler: ConnectionHandler;
    try {
      handler = this.acceptor.open(conn, decision.context);
    } catch {
      this.connections.delete(conn);
      socket.destroy();
      return;
    }
    const reader = new FrameReader(this.limits.maxFrameBytes);
    const onData = (chunk: Buffer) => {
      conn.lastSeen = Date.now();
      const { frames, error } = reader.push(chunk);
      for (const f of frames) {
        if (f.kind === FrameKind.Message) handler.onFrame({ data: f.payload, isBinary: true, tooLarge: false, size: f.payload.length });
        else if (f.kind === FrameKind.Ping) conn.sendControl(FrameKind.Pong);
        else if (f.kind === FrameKind.Close) {
          const { code, reason } = decodeClose(f.payload);
          conn.close(code === 1005 ? CloseCode.Normal : code, reason); // echo, as WebSocket does
          conn.closeInfo = { code, reason };
          return;
        } else if (f.kind !== FrameKind.Pong) {
          socket.off('data', onData);
          conn.close(CloseCode.PolicyViolation, `unknown frame kind ${f.kind}`);
          return;
        }
      }
      if (error) {
        socket.off('data', onData);
        conn.close(error.includes('exceeds') ? CloseCode.TooBig : CloseCode.PolicyViolation, error);
      }
    };
    socket.on('data', onData);
    socket.once('end', () => socket.end());
    socket.once('close', () => {
      this.connections.delete(conn);
      handler.onClose(conn.closeInfo.code, conn.closeInfo.reason);
    });
    if (rest.length) onData(rest);
  }

  private sweep(): void {
    const deadline = Date.now() - this.limits.pongTimeoutMs;
    for (const c of this.connections) {
      if (c.lastSeen < deadline) c.terminate();
      else c.sendControl(FrameKind.Ping);
    }
  }
}
